// Everything Windows does: see sys_unix.go for how platform code is laid out.

package tempfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/windows"
)

// Creating files, directories and names (create.go).

// accessMode maps the caller's flags to read-write, or write-only if asked.
func accessMode(flag int) int {
	if flag&(os.O_RDONLY|os.O_WRONLY|os.O_RDWR) == os.O_WRONLY {
		return os.O_WRONLY
	}
	return os.O_RDWR
}

// shareAll lets other handles read, write, rename and delete the file
// while it is open, as on Unix: without FILE_SHARE_DELETE, which
// os.OpenFile does not ask for, Persist (a rename), Close's remove and
// Scope.Cleanup fail with a sharing violation while any handle is open.
const shareAll = windows.FILE_SHARE_READ | windows.FILE_SHARE_WRITE | windows.FILE_SHARE_DELETE

// openShared is CreateFile with shareAll: createmode CREATE_NEW for an
// exclusive create, OPEN_EXISTING to reopen. It maps flag as os.OpenFile
// does (O_APPEND to FILE_APPEND_DATA without FILE_WRITE_DATA, so every
// write lands at the end; O_SYNC to write-through), never follows a
// reparse point (symbolic link or junction) at name, and makes a handle
// that children do not inherit (no SECURITY_ATTRIBUTES).
func openShared(name string, flag int, perm fs.FileMode, createmode, attrs uint32) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var access uint32 = windows.GENERIC_READ | windows.GENERIC_WRITE
	if accessMode(flag) == os.O_WRONLY {
		access = windows.GENERIC_WRITE
	}
	if flag&os.O_APPEND != 0 {
		access &^= windows.GENERIC_WRITE
		access |= windows.FILE_APPEND_DATA | windows.FILE_WRITE_ATTRIBUTES | windows.FILE_WRITE_EA |
			windows.STANDARD_RIGHTS_WRITE | windows.SYNCHRONIZE
	}
	if attrs == 0 {
		attrs = windows.FILE_ATTRIBUTE_NORMAL
	}
	if createmode == windows.CREATE_NEW && perm&0o200 == 0 {
		attrs |= windows.FILE_ATTRIBUTE_READONLY
	}
	if flag&os.O_SYNC != 0 {
		attrs |= windows.FILE_FLAG_WRITE_THROUGH
	}
	attrs |= windows.FILE_FLAG_OPEN_REPARSE_POINT
	h, err := windows.CreateFile(p, access, shareAll, nil, createmode, attrs, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return os.NewFile(uintptr(h), name), nil
}

// openExcl creates name exclusively (CREATE_NEW fails if anything, even a
// dangling link, has the name), shared so that it can be renamed and
// removed while open.
func openExcl(name genName, flag int, perm fs.FileMode) (*os.File, error) {
	return openShared(name.s, flag, perm, windows.CREATE_NEW, 0)
}

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

// openUnnamed creates a file that Windows deletes when its last handle is
// closed: a name cannot be removed while the file is open there.
func openUnnamed(r resolved) (*os.File, error) {
	return create("temporaryfile", r, func(gen genName) (*os.File, error) {
		// perm is not applied: a read-only file could not be deleted on close.
		return openShared(gen.s, r.flag, 0o600, windows.CREATE_NEW,
			windows.FILE_ATTRIBUTE_TEMPORARY|windows.FILE_FLAG_DELETE_ON_CLOSE)
	})
}

// File, Persist (file.go) and WriteFile (writefile.go).

// reopenNoFollow opens name read-write without following a reparse point
// at it, shared as the file itself is (so the second handle does not stop
// Persist or Close); the identity check in Reopen catches a stranger.
func reopenNoFollow(name string) (*os.File, error) {
	return openShared(name, os.O_RDWR, 0o600, windows.OPEN_EXISTING, 0)
}

// renameNoReplace is MoveFileEx without MOVEFILE_REPLACE_EXISTING, which
// fails if newpath exists.
func renameNoReplace(oldpath, newpath string) error {
	from, err := windows.UTF16PtrFromString(oldpath)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	to, err := windows.UTF16PtrFromString(newpath)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	if err := windows.MoveFileEx(from, to, 0); err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return nil
}

// install moves the temporary file f, whose identity is fi, from old to
// new. Without Linux's /proc/self/fd and RENAME_EXCHANGE the file can only
// be moved by name: see installByName for what that leaves open.
func install(_ *os.File, fi fs.FileInfo, old, new string, noClobber bool) error {
	return installByName(fi, old, new, noClobber)
}

// installsByFd: here install works by name (see installByName).
const installsByFd = false

// syncDir is a no-op on Windows, where a directory cannot be opened for
// FlushFileBuffers by ordinary means and NTFS journals the rename.
func syncDir(string) error { return nil }

// installWritten renames the written temporary file f (identity fi) from
// tmp over path. Windows cannot rename a file that is open without
// FILE_SHARE_DELETE, so f is closed first and the move goes by name, with
// the checks of installByName. On failure the temporary file is removed,
// if its name still is that file.
func installWritten(f *os.File, fi fs.FileInfo, tmp, path string) error {
	if err := f.Close(); err != nil {
		return joinErrs(err, removeOurs(tmp, fi))
	}
	if err := installByName(fi, tmp, path, false); err != nil {
		return joinErrs(err, removeOurs(tmp, fi))
	}
	return nil
}

// Dir and Prefix (dir.go), the parent of scopes (sweep.go) and what a name
// may hold (options.go).

// platformDirs are the usual temp directories, tried after the
// environment's (see candidateDirs).
func platformDirs() []string {
	var dirs []string
	if home := os.Getenv("LOCALAPPDATA"); home != "" {
		dirs = append(dirs, filepath.Join(home, "Temp"))
	}
	if root := os.Getenv("SYSTEMROOT"); root != "" {
		dirs = append(dirs, filepath.Join(root, "Temp"))
	}
	return append(dirs, `c:\temp`, `c:\tmp`, `\temp`, `\tmp`)
}

// platformPrefix is the classic module's per-process prefix here.
func platformPrefix(pid int) string { return strconv.Itoa(pid) + "-" }

// parentName is the name of this user's parent of scopes in a temp
// directory.
func parentName() string {
	u := os.Getenv("USERNAME")
	if u == "" {
		u = "user"
	}
	return "mgtemp-" + labelSafe(u)
}

// checkPrivate accepts the directory: on Windows the per-user temp
// directory is already private through its ACL, which mode bits do not show.
func checkPrivate(string, fs.FileInfo) error { return nil }

// forbiddenInName reports a byte Windows does not allow in a file name
// (a control character or one of <>:"|?*), which a prefix or suffix may
// not hold: ':' would even name an alternate data stream of another file.
// A scope's label (checked as "name") is made safe instead (labelSafe).
func forbiddenInName(b byte) bool { return b < ' ' || strings.IndexByte(`<>:"|?*`, b) >= 0 }

// forbiddenInNames says what a bad prefix or suffix holds.
const forbiddenInNames = `a path separator, NUL or a character Windows forbids in names (<>:"|?* or a control character)`

// Scope lock files (scope.go, sweep.go).

// tryLock takes an exclusive LockFileEx lock on f without waiting.
func tryLock(f *os.File) (bool, error) {
	var ol windows.Overlapped
	err := windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	switch err {
	case nil:
		return true, nil
	case windows.ERROR_LOCK_VIOLATION:
		return false, nil
	}
	return false, &fs.PathError{Op: "lockfileex", Path: f.Name(), Err: err}
}

// lockFile is a scope's lock file as Sweep and Scopes probe it.
type lockFile struct {
	f    *os.File
	root *os.Root
	name string
}

// openLock opens the lock file name in p. ok is false if nothing is at the
// name any more; err says why if it failed otherwise.
func openLock(p *parentDir, name string) (lockFile, bool, error) {
	f, err := p.root.OpenFile(name, os.O_RDONLY, 0)
	if err != nil {
		if isNotExist(err) {
			return lockFile{}, false, nil
		}
		return lockFile{}, false, err
	}
	return lockFile{f: f, root: p.root, name: name}, true, nil
}

func (lf lockFile) tryLock() (bool, error) { return tryLock(lf.f) }

// linked reports whether the name still refers to the open file.
func (lf lockFile) linked() bool { return stillLinked(lf.root, lf.name, lf.f) }

func (lf lockFile) close() { lf.f.Close() }

// readLabel returns what the lock file holds from labelOffset on (see
// labelContent): past the byte the owner's lock covers.
func (lf lockFile) readLabel() []byte {
	var b [maxLabelRead]byte
	n, _ := lf.f.ReadAt(b[:], labelOffset)
	return b[:n]
}

// placeLock puts the lock file f, made, locked and filled at tmp, at
// name (see newLock): a rename that fails if name exists (MoveFileEx
// without MOVEFILE_REPLACE_EXISTING), rather than a hard link, since a
// link would leave tmp to remove while the file is open, and FAT has
// none. Every handle on a lock file allows the rename: the owner's and
// the sweepers' are all os.Root's, opened with FILE_SHARE_DELETE.
//
// The rename goes by name, so first check that tmp is still our file: a
// sweeper that took its lock before us has removed it (the name is gone,
// or refuses to be looked up while the file lingers, delete pending,
// until every handle on it is closed, ours included), and the name is
// lost (errLockLost). Once we hold the lock, nothing but us removes tmp,
// and nobody else makes a file of that name (it has our pid and unique
// digits), so the rename moves ours. (Checking after the rename would not
// do under Wine: a handle renamed through another handle keeps its old
// Unix name and reports volume serial 0, so os.SameFile fails.)
func placeLock(parent *os.Root, tmp, name string, f *os.File) error {
	if !stillLinked(parent, tmp, f) {
		return errLockLost
	}
	dir := parent.Name()
	from, to := filepath.Join(dir, tmp), filepath.Join(dir, name)
	from16, err := windows.UTF16PtrFromString(from)
	if err != nil {
		return &fs.PathError{Op: "rename", Path: from, Err: err}
	}
	to16, err := windows.UTF16PtrFromString(to)
	if err != nil {
		return &fs.PathError{Op: "rename", Path: to, Err: err}
	}
	if err := windows.MoveFileEx(from16, to16, 0); err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}

// dropLock removes the lock file name, which the caller holds locked:
// first a rename to name+".new" (see newLock), then the removal of that.
// Under Wine a file that is locked is not unlinked by a removal while a
// handle is open on it: the name stays, delete pending, until the last
// handle closes, and nothing on it says so. A sweeper that opened the
// lock file just before would then take its lock once we let go, find the
// name still there and take a cleaned-up scope for a dead one. The rename
// takes the name away at once; what may linger under the ".new" name is
// what Sweep removes without reporting it (see sweepNew). If the rename
// fails, the removal is tried as it is.
func dropLock(parent *os.Root, name string) error {
	if err := parent.Rename(name, name+newExt); err != nil {
		return parent.Remove(name)
	}
	if err := parent.Remove(name + newExt); err != nil && !isNotExist(err) {
		return err
	}
	return nil
}

// Making inside a scope (scope.go).

// On Windows the makers go through the scope's os.Root.

func (s *Scope) createIn(name genName, _ string) (*os.File, error) {
	return s.root.OpenFile(name.s, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
}

// Here os.Root.RemoveAll does the whole job: no names are remembered.
func (s *Scope) remember(genName) {}
func (s *Scope) removeMade() bool { return false }

func (s *Scope) mkdirIn(name genName, _ string) error { return s.root.Mkdir(name.s, 0o700) }

func (s *Scope) freeIn(name genName, path string) error {
	_, err := s.root.Lstat(name.s)
	switch {
	case err == nil:
		return &fs.PathError{Op: "name", Path: path, Err: fs.ErrExist}
	case isNotExist(err):
		return nil
	}
	return err
}

// createWith creates name in the scope through its os.Root, with the
// caller's open flags and mode.
func (s *Scope) createWith(name genName, _ string, flag int, perm fs.FileMode) (*os.File, error) {
	flags := flag&^(os.O_RDONLY|os.O_WRONLY|os.O_RDWR) | accessMode(flag) | os.O_CREATE | os.O_EXCL
	return s.root.OpenFile(name.s, flags, perm)
}

// mkdirWith creates the directory name in the scope with mode perm.
func (s *Scope) mkdirWith(name genName, _ string, perm fs.FileMode) error {
	return s.root.Mkdir(name.s, perm)
}

// mountFilter: on Windows a mounted folder or junction is a reparse
// point, which the size walk, like os.Root, never enters.
func mountFilter(*os.Root) func(name string) bool {
	return func(string) bool { return false }
}
