//go:build unix

// Platform code lives in one file per platform, with one build-tag
// convention: `unix` for what every Unix shares (this file; never
// `!windows`), `linux && !tempfile_portable` for Linux's fast paths
// (sys_linux.go: O_TMPFILE, renameat2, /proc/self/fd, raw openat), and
// `unix && (!linux || tempfile_portable)` for the Unix path without them
// (sys_portable_unix.go), which macOS and the BSDs take and which the
// tempfile_portable tag selects on Linux so that it is tested there.
// sys_darwin.go and sys_link_unix.go hold the one thing macOS and the other
// Unixes do apart (a rename that does not replace), sys_windows.go
// everything Windows does. The scope removal walk, large and cohesive,
// keeps its own files (remove_unix.go, remove_linux.go, remove_other.go,
// remove_windows.go). Any other platform fails to build (unsupported.go).

package tempfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// Creating files, directories and names (create.go).

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
// sys_linux.go) and os.NewFile rather than os.OpenFile, which adds
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

// createUnlinked creates a named file and removes its name at once, so
// only the returned descriptor reaches it. If the unlink fails the file is
// closed and the error returned: a file that outlives its process is not
// what was asked for.
func createUnlinked(r resolved) (*os.File, error) {
	f, err := createFile("temporaryfile", r)
	if err != nil {
		return nil, err
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// File, Persist (file.go) and WriteFile (writefile.go).

// reopenNoFollow opens name without following a symbolic link at it.
func reopenNoFollow(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDWR|syscall.O_NOFOLLOW, 0)
}

// linkNoReplace moves oldpath to newpath without ever replacing newpath:
// link(2) fails with EEXIST if newpath exists, atomically. Only then is
// the old name removed; if that fails, the new link is removed again so
// the file is left as it was.
func linkNoReplace(oldpath, newpath string) error {
	if err := os.Link(oldpath, newpath); err != nil {
		return err
	}
	if err := os.Remove(oldpath); err != nil {
		os.Remove(newpath)
		return err
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// installWritten renames the written temporary file f (identity fi) from
// tmp over path, binding the descriptor where the platform allows (see
// install), and closes it. On failure the temporary file is removed, if
// its name still is that file.
func installWritten(f *os.File, fi fs.FileInfo, tmp, path string) error {
	err := install(f, fi, tmp, path, false)
	if err != nil {
		err = joinErrs(err, removeOurs(tmp, fi))
	}
	return joinErrs(err, f.Close())
}

// Dir and Prefix (dir.go), the parent of scopes (sweep.go) and what a name
// may hold (options.go).

// platformDirs are the usual temp directories, tried after the
// environment's (see candidateDirs).
func platformDirs() []string { return []string{"/tmp", "/var/tmp", "/usr/tmp"} }

// platformPrefix is the classic module's per-process prefix here.
func platformPrefix(pid int) string { return "@" + strconv.Itoa(pid) + "." }

// parentName is the name of this user's parent of scopes in a temp
// directory.
func parentName() string { return "mgtemp-" + strconv.Itoa(os.Geteuid()) }

// checkPrivate refuses a directory not owned by us or open to others.
func checkPrivate(path string, fi fs.FileInfo) error {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return unsafeDir(path, fmt.Sprintf("is owned by uid %d, not by uid %d", st.Uid, os.Geteuid()))
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return unsafeDir(path, fmt.Sprintf("has mode %#o, open to group or others (want 0700)", perm))
	}
	return nil
}

// forbiddenInName reports a byte that a prefix or suffix may not hold
// beyond '/' and NUL: none on Unix.
func forbiddenInName(byte) bool { return false }

// forbiddenInNames says what a bad prefix or suffix holds.
const forbiddenInNames = "a path separator or NUL"

// Scope lock files (scope.go, sweep.go).

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
// labelContent), or nothing if it cannot be read.
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

// Making inside a scope (scope.go).

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

// Scopes' size walk (sweep.go).

// mountFilter returns, for the scope opened as r, a test of whether the
// directory name in r is on another mount (a bind or FUSE mount inside
// the scope), which Scopes' size walk then skips: st_dev, and on Linux
// the mount id, as removeTree tells mounts apart. A directory that cannot
// be opened is skipped as well: its entries could not be read anyway.
func mountFilter(r *os.Root) func(name string) bool {
	top, ok := rootDirStat(r, ".")
	if !ok {
		return func(string) bool { return true }
	}
	return func(name string) bool {
		st, ok := rootDirStat(r, name)
		return !ok || !st.sameMount(top)
	}
}

func rootDirStat(r *os.Root, name string) (dirStat, bool) {
	f, err := r.Open(name)
	if err != nil {
		return dirStat{}, false
	}
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return dirStat{}, false
	}
	var st dirStat
	var serr error
	if err := rc.Control(func(fd uintptr) { st, serr = statDir(int(fd)) }); err != nil || serr != nil {
		return dirStat{}, false
	}
	return st, true
}
