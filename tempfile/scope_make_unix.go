//go:build unix

package tempfile

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// createWith creates name in the scope with the caller's open flags and
// mode, relative to the scope's directory descriptor as createIn does.
func (s *Scope) createWith(name genName, path string, flag int, perm fs.FileMode) (*os.File, error) {
	flags := flag&^unix.O_ACCMODE | accessMode(flag) | createFlags
	for {
		fd, err := openat(s.dirfd, name, flags, uint32(perm))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
}

// mkdirWith creates the directory name in the scope with mode perm.
func (s *Scope) mkdirWith(name genName, path string, perm fs.FileMode) error {
	if err := unix.Mkdirat(s.dirfd, name.s, uint32(perm)); err != nil {
		return &fs.PathError{Op: "mkdir", Path: path, Err: err}
	}
	return nil
}
