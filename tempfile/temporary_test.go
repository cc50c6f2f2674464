//go:build linux && !tempfile_portable

// Linux only: these tests tell an O_TMPFILE file from an unlinked one
// through /proc, and the tempfile_portable build has no O_TMPFILE path.

package tempfile_test

import (
	"golang.org/x/sys/unix"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// TestTemporaryFile checks both ways a Linux TemporaryFile is made: with
// O_TMPFILE, and with the create-and-unlink fallback that file systems
// without O_TMPFILE get (forced here). Either way the file has no entry in
// the directory, is 0600, and reads back what was written. /proc tells the
// two apart: an O_TMPFILE file was never named, so its link shows "/#inode".
func TestTemporaryFile(t *testing.T) {
	for _, c := range []struct {
		name     string
		fallback bool
	}{{"O_TMPFILE", false}, {"fallback", true}} {
		t.Run(c.name, func(t *testing.T) {
			tempfile.NoTmpfile.Store(c.fallback)
			defer tempfile.NoTmpfile.Store(false)
			dir := privateTmp(t)
			f, err := tempfile.TemporaryFile(".dat")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			mustEmpty(t, dir)
			link, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(link, " (deleted)") || !strings.HasPrefix(link, dir+"/") {
				t.Fatalf("fd link %q: want a deleted file in %s", link, dir)
			}
			if unnamed := strings.HasPrefix(link, dir+"/#"); unnamed == c.fallback {
				t.Fatalf("fd link %q: fallback=%v but the file was made the other way", link, c.fallback)
			}
			fi, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
			}
			if _, err := f.WriteString("w+b"); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(f)
			if err != nil || string(got) != "w+b" {
				t.Fatalf("read back %q, %v", got, err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			mustEmpty(t, dir)
		})
	}
}

// TestTemporaryFileCannotBeLinked: O_TMPFILE is opened with O_EXCL, so the
// file can never be given a name, even through /proc.
func TestTemporaryFileCannotBeLinked(t *testing.T) {
	dir := privateTmp(t)
	f, err := tempfile.TemporaryFile("")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(int(f.Fd())), unix.AT_FDCWD, filepath.Join(dir, "named"), unix.AT_SYMLINK_FOLLOW)
	if err == nil {
		t.Fatal("an unnamed TemporaryFile was linked into the directory")
	}
	mustEmpty(t, dir)
}
