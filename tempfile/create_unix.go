//go:build unix

package tempfile

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// createFlags are added to every exclusive create: never reuse a name,
// never follow a symbolic link planted at it, never leak the fd to a child.
const createFlags = unix.O_CREAT | unix.O_EXCL | unix.O_NOFOLLOW | unix.O_CLOEXEC

// accessMode maps the caller's flags to read-write, or write-only if asked.
func accessMode(flag int) int {
	if flag&unix.O_ACCMODE == unix.O_WRONLY {
		return unix.O_WRONLY
	}
	return unix.O_RDWR
}

// openExcl creates name exclusively. It opens with openat (see
// sysopen_linux.go) and os.NewFile rather than os.OpenFile, which adds
// poller registration and fcntl calls that a regular file never needs.
func openExcl(name genName, flag int, perm fs.FileMode) (*os.File, error) {
	flags := flag&^unix.O_ACCMODE | accessMode(flag) | createFlags
	for {
		fd, err := openat(unix.AT_FDCWD, name, flags, uint32(perm))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name.s, Err: err}
		}
		return os.NewFile(uintptr(fd), name.s), nil
	}
}
