package tempfile

import (
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

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
// label.go): past the byte the owner's lock covers.
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
