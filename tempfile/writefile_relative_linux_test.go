//go:build linux

package tempfile_test

import (
	"errors"
	"os"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// TestWriteFileRelativeWindow: WriteFile to a name relative to the
// working directory (WriteFile("config.json", …), the common call) binds
// its descriptor as it does for an absolute name: a temporary name
// replaced after its check never puts the stranger at the target, which
// is the new content or the old. The temporary name is absolute, the target's
// directory was ".", and the two were taken for different directories:
// the rename went by name and installed the stranger.
func TestWriteFileRelativeWindow(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	mustDo(t, os.WriteFile("final", []byte("theirs"), 0o644))
	// The stranger comes after the last check of the name by name
	// (the second, where there are two).
	calls := 0
	prHook(t, tempfile.HookAfterCheck, func(name string) {
		if calls++; calls == 2 {
			ftSwap(t, name, "stranger")
		}
	})
	err := tempfile.WriteFile("final", []byte("new"), 0o644)
	*tempfile.HookAfterCheck = nil
	got, _ := os.ReadFile("final")
	if string(got) == "stranger" {
		t.Fatalf("WriteFile (%v) installed the stranger", err)
	}
	if err == nil && string(got) != "new" || err != nil && (!errors.Is(err, tempfile.ErrReplaced) || string(got) != "theirs") {
		t.Errorf("WriteFile: %v, and the target holds %q", err, got)
	}
}
