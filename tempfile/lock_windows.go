package tempfile

import (
	"io/fs"
	"os"

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

// linkLocks: newLock creates lock files in place. (Linking one into place
// would need the temporary name removed while the file is open, which
// Windows refuses unless every handle allows it.)
const linkLocks = false
