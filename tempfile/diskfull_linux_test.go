package tempfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/magekit/temp/tempfile"
)

// Linux only: it mounts a tmpfs.

// TestWriteFileDiskFull fills a tiny tmpfs: WriteFile fails with ENOSPC,
// the old file is intact and no temporary file remains. Needs root to
// mount; CI runs as root.
func TestWriteFileDiskFull(t *testing.T) {
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): needs root", err)
	}
	defer unix.Unmount(dir, 0)
	target := filepath.Join(dir, "state")
	mustDo(t, os.WriteFile(target, []byte("old state"), 0o600))
	err := tempfile.WriteFile(target, make([]byte, 1<<20), 0o600)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("WriteFile on a full disk: %v, want ENOSPC", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "old state" {
		t.Fatalf("old content became %d bytes", len(b))
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Fatalf("the full disk holds %q, want only the target", names)
	}
}
