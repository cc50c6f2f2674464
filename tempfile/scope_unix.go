//go:build unix

package tempfile

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// The makers work relative to the scope's directory descriptor: one
// syscall each, never a path walk, and a name that is a single component
// cannot lead anywhere else. (os.Root would do the same, with more
// syscalls and allocations per file.)

// createIn creates name in the scope: O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0600.
func (s *Scope) createIn(name genName, path string) (*os.File, error) {
	for {
		fd, err := openat(s.dirfd, name, unix.O_RDWR|createFlags, 0o600)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
}

// remember notes a file File made, so that Cleanup can unlink it by name.
// Reading names back from the directory costs the kernel and os.Root a
// few percent of a create on top; unlinking known names does not.
func (s *Scope) remember(name genName) {
	s.madeMu.Lock()
	if len(s.made) < maxMade {
		s.made = append(s.made, name)
	}
	s.madeMu.Unlock()
}

// removeMade unlinks the files File made, by name, relative to the
// scope's directory: one component each, no link followed, nothing
// outside reached. Failures are left alone: whatever is still there
// (renamed, replaced by a directory, in a read-only directory) is
// removeTree's to remove or report. It reports whether every name it had
// is gone now, and it had any.
func (s *Scope) removeMade() bool {
	all := len(s.made) > 0
	for _, name := range s.made {
		if err := unlinkat(s.dirfd, name); err != nil && err != unix.ENOENT {
			all = false
		}
	}
	s.made = nil
	return all
}

// mkdirIn creates the directory name in the scope, 0700.
func (s *Scope) mkdirIn(name genName, path string) error {
	if err := unix.Mkdirat(s.dirfd, name.s, 0o700); err != nil {
		return &fs.PathError{Op: "mkdir", Path: path, Err: err}
	}
	return nil
}

// freeIn returns nil if nothing is at name in the scope, an error matching
// fs.ErrExist if something is.
func (s *Scope) freeIn(name genName, path string) error {
	var st unix.Stat_t
	switch err := unix.Fstatat(s.dirfd, name.s, &st, unix.AT_SYMLINK_NOFOLLOW); err {
	case nil:
		return &fs.PathError{Op: "name", Path: path, Err: fs.ErrExist}
	case unix.ENOENT:
		return nil
	default:
		return &fs.PathError{Op: "name", Path: path, Err: err}
	}
}
