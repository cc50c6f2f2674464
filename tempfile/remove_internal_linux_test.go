package tempfile

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestChmodDirRefusesLinks hands chmodDir, directly, the state that the
// swap races only sometimes reach: the name of an unreadable directory
// now holds a link to a directory outside. Neither way of chmod'ing
// (fchmodat2, /proc/self/fd) may follow it.
func TestChmodDirRefusesLinks(t *testing.T) {
	for _, viaProc := range []bool{false, true} {
		noFchmodat2.Store(viaProc)
		dir, out := t.TempDir(), t.TempDir()
		target := filepath.Join(out, "target")
		if err := os.Mkdir(target, 0o500); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, "link")); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(dir, "real"), 0); err != nil {
			t.Fatal(err)
		}
		fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		mnt, err := statDir(fd)
		if err != nil {
			t.Fatal(err)
		}
		if err := chmodDir(fd, "link", mnt); err != unix.ENOTDIR && err != unix.ELOOP {
			t.Errorf("chmodDir of a link (via /proc: %v): %v, want ENOTDIR or ELOOP", viaProc, err)
		}
		if err := chmodDir(fd, "real", mnt); err != nil {
			t.Errorf("chmodDir of a directory (via /proc: %v): %v", viaProc, err)
		}
		unix.Close(fd)
		for p, want := range map[string]os.FileMode{target: 0o500, filepath.Join(dir, "real"): 0o700} {
			if fi, err := os.Lstat(p); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s (via /proc: %v): %v, %v; want %v", p, viaProc, fi.Mode(), err, want)
			}
		}
		os.Chmod(target, 0o700)
	}
	noFchmodat2.Store(false)
}
