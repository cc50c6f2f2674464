//go:build linux && !tempfile_portable

package tempfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestOpenatRefusesWhatXSysRefuses: the raw openat keeps the checks of the
// x/sys call it replaces. A name holding a NUL fails with EINVAL (the
// kernel would read it only up to the NUL), and an empty one with ENOENT,
// and neither creates anything.
func TestOpenatRefusesWhatXSysRefuses(t *testing.T) {
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut")
	cases := []struct {
		name genName
		want error
	}{
		{makeName(cut+"\x00rest", "p.", ""), unix.EINVAL},
		{makeName(dir, "p.\x00", ""), unix.EINVAL},
		// An empty name: the kernel would say ENOENT too, so this only
		// checks that cstring agrees with it.
		{makeName(dir, "p.", "").tail(len(makeName(dir, "p.", "").s)), unix.ENOENT},
	}
	for _, c := range cases {
		fd, err := openat(unix.AT_FDCWD, c.name, unix.O_RDWR|createFlags, 0o600)
		if !errors.Is(err, c.want) {
			if err == nil {
				unix.Close(fd)
			}
			t.Errorf("openat(%q) = %d, %v; want %v", c.name.s, fd, err, c.want)
		}
	}
	if names, err := filepath.Glob(filepath.Join(dir, "*")); err != nil || len(names) != 0 {
		t.Fatalf("openat created %v (%v)", names, err)
	}
	// unlinkat: the same checks, and nothing removed.
	for _, c := range cases {
		if err := os.WriteFile(cut, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := unlinkat(unix.AT_FDCWD, c.name); !errors.Is(err, c.want) {
			t.Errorf("unlinkat(%q) = %v; want %v", c.name.s, err, c.want)
		}
		if _, err := os.Stat(cut); err != nil {
			t.Errorf("unlinkat(%q) removed %s: %v", c.name.s, cut, err)
		}
	}
	// And a good name is unlinked.
	n := makeName(dir, "p.", "")
	if err := os.WriteFile(n.s, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := unlinkat(unix.AT_FDCWD, n); err != nil {
		t.Fatalf("unlinkat(%q): %v", n.s, err)
	}
	if _, err := os.Lstat(n.s); !os.IsNotExist(err) {
		t.Fatalf("%s still there after unlinkat: %v", n.s, err)
	}
}
