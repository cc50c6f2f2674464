package tempfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
)

// ErrReplaced reports that the name of a temporary file no longer refers
// to that file: someone removed or replaced it. [File.Reopen] refuses to
// open the stranger, and [File.Close] refuses to remove it.
var ErrReplaced = errors.New("file was replaced under its name")

// File is a named temporary file that [File.Close] removes, unless it was
// kept ([File.Keep]) or persisted to a final name ([File.Persist],
// [File.PersistNoClobber]). It is Python's NamedTemporaryFile and Rust's
// NamedTempFile. The embedded *os.File gives Read, Write, Seek, Sync and
// the rest; call File.Close, not File.File.Close, or the name stays behind.
type File struct {
	*os.File

	mu     sync.Mutex
	path   string // the current name, changed by Persist
	kept   bool
	closed bool
}

// NewFile creates a file as [CreateTemp] does and returns it wrapped so
// that Close removes it. Unlike os.NewFile, which wraps a descriptor that
// is already open, it makes a new file.
func NewFile(o Options) (*File, error) {
	f, err := CreateTemp(o)
	if err != nil {
		return nil, err
	}
	return &File{File: f, path: f.Name()}, nil
}

// Name returns the file's current name: where it was created, or where
// Persist moved it.
func (f *File) Name() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.path
}

// Keep makes Close leave the file in place.
func (f *File) Keep() {
	f.mu.Lock()
	f.kept = true
	f.mu.Unlock()
}

// Close closes the file and, unless it was kept or persisted, removes it.
// The name is removed only if it still refers to this file (else the error
// matches [ErrReplaced] and the stranger is left alone). Close is
// idempotent: later calls return nil.
func (f *File) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	if f.kept {
		return f.File.Close()
	}
	same, serr := f.stillNamed()
	cerr := f.File.Close() // before the remove: Windows cannot remove an open file
	if serr != nil {
		return joinErrs(serr, cerr)
	}
	if !same {
		return joinErrs(&fs.PathError{Op: "remove", Path: f.path, Err: ErrReplaced}, cerr)
	}
	return joinErrs(os.Remove(f.path), cerr)
}

// stillNamed reports whether f.path still names the open file. A missing
// name is an error (it matches fs.ErrNotExist).
func (f *File) stillNamed() (bool, error) {
	fi, err := f.File.Stat()
	if err != nil {
		return false, err
	}
	li, err := os.Lstat(f.path)
	if err != nil {
		return false, err
	}
	return os.SameFile(fi, li), nil
}

// Reopen opens the file again by its name, read-write, with an offset of
// its own; closing it does not remove anything. It refuses with an error
// matching [ErrReplaced] if the name now refers to another file.
func (f *File) Reopen() (*os.File, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, &fs.PathError{Op: "reopen", Path: f.path, Err: fs.ErrClosed}
	}
	g, err := reopenNoFollow(f.path)
	if err != nil {
		return nil, err
	}
	fi, err := f.File.Stat()
	if err != nil {
		g.Close()
		return nil, err
	}
	gi, err := g.Stat()
	if err != nil {
		g.Close()
		return nil, err
	}
	if !os.SameFile(fi, gi) {
		g.Close()
		return nil, &fs.PathError{Op: "reopen", Path: f.path, Err: ErrReplaced}
	}
	return g, nil
}

// CrossDeviceError is returned by [File.Persist] and
// [File.PersistNoClobber] when the final name is on another file system,
// where a rename cannot move the file (EXDEV). The temporary file is
// untouched and still usable: copy it, or create it on the right file
// system (Options.Dir beside the destination) next time.
type CrossDeviceError struct {
	Old, New string
	Err      error // the *os.LinkError from the rename; it matches syscall.EXDEV
}

func (e *CrossDeviceError) Error() string {
	return "persist " + e.Old + " to " + e.New + ": different file systems (EXDEV); rename cannot move a file across them"
}

func (e *CrossDeviceError) Unwrap() error { return e.Err }

// Persist atomically renames the file to path, replacing whatever is
// there, and keeps it: Close then only closes. On failure the file keeps
// its old name and stays usable; a rename across file systems fails with a
// *[CrossDeviceError].
//
// Only this file is ever installed: if its name was replaced in the
// meantime (by anyone with write access to its directory), Persist fails
// with an error matching [ErrReplaced] and leaves the target, and the
// stranger, alone. On Linux the file is bound by its descriptor, not its
// name: a free target gets a hard link to the open file (linkat of
// /proc/self/fd), an existing one in the same directory is exchanged with
// it atomically (renameat2 RENAME_EXCHANGE) and exchanged back if what
// arrived is not this file, so no window is left. Elsewhere (an existing
// target in another directory, another system, no /proc, a kernel or file
// system without those calls) the name is checked just before the rename
// and the target just after it: a name replaced in the instant between
// the two still gets installed, and Persist then reports ErrReplaced, but
// cannot bring the old target back. Going by name, a path that already is
// a hard link to this file in the same directory keeps the temporary name
// too, as rename(2) does for two links to one file (the two names may be
// one entry on a file system that folds case, so neither is removed).
func (f *File) Persist(path string) error {
	return f.persist(path, false)
}

// PersistNoClobber is Persist that never replaces an existing path: if
// path exists it fails with an error matching fs.ErrExist and the file
// stays usable under its old name. On Linux it links the open descriptor
// itself at path (linkat, which fails if path exists), then removes the
// old name if that still is this file; where that cannot be done, one
// renameat2 with RENAME_NOREPLACE, or a hard link by name followed by
// removing the old name, which is just as safe. A name replaced under it
// is refused with [ErrReplaced], as by Persist; by name, a stranger that
// got through in the instant between check and rename is moved back, so
// path ends up as this file or free, never the stranger.
func (f *File) PersistNoClobber(path string) error {
	return f.persist(path, true)
}

func (f *File) persist(path string, noClobber bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return &fs.PathError{Op: "persist", Path: f.path, Err: fs.ErrClosed}
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // Name, Close and Reopen must not depend on a later Chdir
	}
	fi, err := f.File.Stat()
	if err != nil {
		return err
	}
	if path == f.path && !noClobber {
		// Its own name: a rename onto itself does nothing, and so must
		// Persist (an exchange with itself, then removing the old name,
		// would remove the file).
		if err := checkNamed(f.path, fi); err != nil {
			return err
		}
		f.kept = true
		return nil
	}
	if err := install(f.File, fi, f.path, path, noClobber); err != nil {
		if errors.Is(err, syscall.EXDEV) {
			return &CrossDeviceError{Old: f.path, New: path, Err: err}
		}
		return err
	}
	f.path = path
	f.kept = true
	return nil
}

// Test hooks: noFdLink makes install work by name, as where the
// descriptor cannot be linked; hookAfterCheck runs between the check of
// the temporary name and the rename; hookWriteFile runs in WriteFile
// after the data is written and synced, before it is installed.
var (
	noFdLink                      atomic.Bool
	hookAfterCheck, hookWriteFile func(name string)
)

// errReplaced is the error for a temporary name that no longer refers to
// the file.
func errReplaced(name string) error {
	return &fs.PathError{Op: "persist", Path: name, Err: ErrReplaced}
}

// namedAs reports whether name, not followed if it is a symbolic link, is
// the file whose identity is fi. A missing name is an error matching
// fs.ErrNotExist.
func namedAs(name string, fi fs.FileInfo) (bool, error) {
	li, err := os.Lstat(name)
	if err != nil {
		return false, err
	}
	return os.SameFile(fi, li), nil
}

// checkNamed returns nil if old still names the file fi, else the reason.
func checkNamed(old string, fi fs.FileInfo) error {
	same, err := namedAs(old, fi)
	if err != nil {
		return err
	}
	if !same {
		return errReplaced(old)
	}
	return nil
}

// installByName moves the file fi from old to new by name: the identity
// check immediately before the rename, and a look at new after it. What
// is left between the two is a window that only the descriptor-based
// install (Linux) closes: a name replaced in it is installed all the
// same. Then the error is ErrReplaced, and for noClobber (new was free)
// the stranger is moved back where it came from; a replaced target cannot
// be brought back.
func installByName(fi fs.FileInfo, old, new string, noClobber bool) error {
	if err := checkNamed(old, fi); err != nil {
		return err
	}
	if hookAfterCheck != nil {
		hookAfterCheck(old)
	}
	rename := os.Rename
	if noClobber {
		rename = renameNoReplace
	}
	if err := rename(old, new); err != nil {
		return err
	}
	if same, err := namedAs(new, fi); err == nil && !same {
		var back error
		if noClobber {
			back = renameNoReplace(new, old)
		}
		return joinErrs(errReplaced(old), back)
	}
	if same, err := namedAs(old, fi); err == nil && same && !sameDir(old, new) {
		// new was already a hard link to this file, so the rename did
		// nothing (as rename(2) does for two links to one file): the
		// temporary name would stay for ever. In another directory it is
		// surely another entry, so it can go.
		return removeQuiet(old)
	}
	return nil
}

// sameDir reports whether a and b may be names in one directory (then
// they may be one entry, on a file system that folds case, say).
func sameDir(a, b string) bool {
	da, err := os.Stat(filepath.Dir(a))
	if err != nil {
		return true
	}
	db, err := os.Stat(filepath.Dir(b))
	return err != nil || os.SameFile(da, db)
}
