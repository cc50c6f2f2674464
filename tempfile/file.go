package tempfile

import (
	"errors"
	"io/fs"
	"os"
	"sync"
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
