package tempfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// CrossDeviceError is returned by [File.Persist] and
// [File.PersistNoClobber] when the final name is on another file system,
// where a rename cannot move the file (EXDEV). The temporary file is
// untouched and still usable: copy it, or create it on the right file
// system (Options.Dir beside the destination) next time.
type CrossDeviceError struct {
	Old, New string
	Err      error // the *os.LinkError from the rename; it matches syscall.EXDEV
}

func (e *CrossDeviceError) Error() string {
	return "persist " + e.Old + " to " + e.New + ": different file systems (EXDEV); rename cannot move a file across them"
}

func (e *CrossDeviceError) Unwrap() error { return e.Err }

// Persist atomically renames the file to path, replacing whatever is
// there, and keeps it: Close then only closes. On failure the file keeps
// its old name and stays usable; a rename across file systems fails with a
// *[CrossDeviceError].
func (f *File) Persist(path string) error {
	return f.persist(path, os.Rename)
}

// PersistNoClobber is Persist that never replaces an existing path: if
// path exists it fails with an error matching fs.ErrExist and the file
// stays usable under its old name. On Linux it is one renameat2 with
// RENAME_NOREPLACE; where the kernel or file system lacks that, a hard
// link followed by removing the old name, which is just as safe.
func (f *File) PersistNoClobber(path string) error {
	return f.persist(path, renameNoReplace)
}

func (f *File) persist(path string, rename func(oldpath, newpath string) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return &fs.PathError{Op: "persist", Path: f.path, Err: fs.ErrClosed}
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // Name, Close and Reopen must not depend on a later Chdir
	}
	if err := rename(f.path, path); err != nil {
		if errors.Is(err, syscall.EXDEV) {
			return &CrossDeviceError{Old: f.path, New: path, Err: err}
		}
		return err
	}
	f.path = path
	f.kept = true
	return nil
}
