package tempfile

import (
	"io/fs"
	"os"
	"syscall"
)

// mktempDir returns nil if dir is a directory, and a *fs.PathError otherwise.
// Windows keeps package os: its stat needs far more than one system call,
// and its tests draw fewer names.
func mktempDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return &fs.PathError{Op: "mktemp", Path: dir, Err: syscall.ENOTDIR}
	}
	return nil
}

// free returns nil if nothing exists at name, an error matching
// fs.ErrExist if something does, and any other error as it is.
func free(name genName) error {
	_, err := os.Lstat(name.s)
	switch {
	case err == nil:
		return errExists(name.s)
	case isNotExist(err):
		return nil
	}
	return err
}
