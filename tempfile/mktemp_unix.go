//go:build unix

package tempfile

import (
	"io/fs"
	"syscall"

	"golang.org/x/sys/unix"
)

// mktempDir returns nil if dir is a directory (following symbolic links, as
// os.Stat does), and a *fs.PathError otherwise.
func mktempDir(dir string) error {
	var st unix.Stat_t
	if err := ignoringEINTR(func() error { return unix.Stat(dir, &st) }); err != nil {
		return &fs.PathError{Op: "mktemp", Path: dir, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return &fs.PathError{Op: "mktemp", Path: dir, Err: syscall.ENOTDIR}
	}
	return nil
}

// free returns nil if nothing exists at name (a symbolic link, even a
// dangling one, exists), an error matching fs.ErrExist if something does,
// and any other error in a *fs.PathError.
func free(name genName) error {
	var st unix.Stat_t
	err := ignoringEINTR(func() error {
		return unix.Fstatat(unix.AT_FDCWD, name.s, &st, unix.AT_SYMLINK_NOFOLLOW)
	})
	switch {
	case err == nil:
		return errExists(name.s)
	case err == unix.ENOENT:
		return nil
	}
	return &fs.PathError{Op: "mktemp", Path: name.s, Err: err}
}
