//go:build unix

package tempfile

import (
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// tryLock takes an exclusive flock on f without waiting; it reports false
// if another open file description holds it, in this process or another.
func tryLock(f *os.File) (bool, error) {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		switch err {
		case nil:
			return true, nil
		case unix.EINTR:
			continue
		case unix.EWOULDBLOCK:
			return false, nil
		}
		return false, &fs.PathError{Op: "flock", Path: f.Name(), Err: err}
	}
}

// lockFile is a scope's lock file as Sweep and Scopes probe it: opened
// with raw syscalls relative to the parent's directory descriptor, one
// openat, one flock, and no *os.File (with its finalizer, poller checks
// and the os.Root's path walk) for each of possibly thousands of scopes
// that are alive and only need to be passed over.
type lockFile struct {
	fd, dirfd int
	name      string
}

// openLock opens the lock file name in p, read-only and without
// following a symbolic link. ok is false if nothing is at the name any
// more (or not a file it may open); err says why if it failed otherwise.
func openLock(p *parentDir, name string) (lf lockFile, ok bool, err error) {
	lf = lockFile{dirfd: int(p.dir.Fd()), name: name}
	for {
		lf.fd, err = unix.Openat(lf.dirfd, name, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
		switch err {
		case nil:
			return lf, true, nil
		case unix.EINTR:
			continue
		case unix.ENOENT, unix.ELOOP:
			return lf, false, nil
		}
		return lf, false, &fs.PathError{Op: "open", Path: filepath.Join(p.path, name), Err: err}
	}
}

// tryLock is tryLock for the probe's descriptor.
func (lf lockFile) tryLock() (bool, error) {
	for {
		err := unix.Flock(lf.fd, unix.LOCK_EX|unix.LOCK_NB)
		switch err {
		case nil:
			return true, nil
		case unix.EINTR:
			continue
		case unix.EWOULDBLOCK:
			return false, nil
		}
		return false, &fs.PathError{Op: "flock", Path: lf.name, Err: err}
	}
}

// linked reports whether the name still refers to the open regular file:
// an owner that cleaned up between the open and the flock has unlinked it.
func (lf lockFile) linked() bool {
	var st, lst unix.Stat_t
	return unix.Fstat(lf.fd, &st) == nil &&
		unix.Fstatat(lf.dirfd, lf.name, &lst, unix.AT_SYMLINK_NOFOLLOW) == nil &&
		st.Dev == lst.Dev && st.Ino == lst.Ino && st.Mode&unix.S_IFMT == unix.S_IFREG
}

// close closes the descriptor, which drops a lock taken through it.
func (lf lockFile) close() { unix.Close(lf.fd) }

// readLabel returns what the lock file holds from labelOffset on (see
// label.go), or nothing if it cannot be read.
func (lf lockFile) readLabel() []byte {
	var b [maxLabelRead]byte
	for {
		n, err := unix.Pread(lf.fd, b[:], labelOffset)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return nil
		}
		return b[:n]
	}
}

// placeLock puts the lock file f, made, locked and filled at tmp, at
// name (see newLock): a hard link, which fails if name exists, then the
// removal of tmp. If that removal fails, what is left is locked while we
// live, and Sweep removes it once it is not.
func placeLock(parent *os.Root, tmp, name string, f *os.File) error {
	if err := parent.Link(tmp, name); err != nil {
		return err
	}
	parent.Remove(tmp)
	return nil
}

// dropLock removes the lock file name, which the caller holds locked.
func dropLock(parent *os.Root, name string) error { return parent.Remove(name) }
