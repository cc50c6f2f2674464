package tempfile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// Persist to the file's own name keeps it: os.Rename of a name onto
// itself does nothing, and so must Persist.
func TestPersistToOwnName(t *testing.T) {
	f, err := tempfile.NewFile(tempfile.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("data"); err != nil {
		t.Fatal(err)
	}
	name := f.Name()
	if err := f.Persist(name); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(name); err != nil || string(b) != "data" {
		t.Fatalf("after Persist to its own name: %q, %v; want the file", b, err)
	}
}

// Persist onto a hard link of the file itself, in another directory,
// leaves one name: the target's, as a move would.
func TestPersistOntoOwnHardLink(t *testing.T) {
	for _, sameDir := range []bool{true, false} {
		t.Run(map[bool]string{true: "same directory", false: "two directories"}[sameDir], func(t *testing.T) {
			dir := t.TempDir()
			f, err := tempfile.NewFile(tempfile.Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			dstDir := dir
			if !sameDir {
				skipUnderWine(t, "its MoveFileEx is rename(2), which does nothing between two links to one file: the temporary name stays")
				dstDir = t.TempDir()
			}
			dst := filepath.Join(dstDir, "dst")
			if err := os.Link(f.Name(), dst); err != nil {
				t.Fatal(err)
			}
			old := f.Name()
			if err := f.Persist(dst); err != nil {
				t.Fatal(err)
			}
			// Going by name (macOS, the BSDs, the tempfile_portable build),
			// a rename between two links to one file does nothing, and in one
			// directory the two names may be one entry (a file system that
			// folds case): the temporary name then stays, as documented.
			if _, err := os.Lstat(old); !os.IsNotExist(err) && (!sameDir || tempfile.InstallsByFd) {
				t.Errorf("sameDir=%v: the temporary name %s stays after Persist (%v)", sameDir, old, err)
			}
			if _, err := os.Lstat(dst); err != nil {
				t.Errorf("sameDir=%v: %v", sameDir, err)
			}
			f.Close()
		})
	}
}
