package tempfile

import (
	"fmt"
	"io/fs"
	"os"
)

// Mktemp returns an absolute name in [Dir] made of [Prefix], random decimal
// digits and suffix, at which no file exists when it returns. No two calls
// in one process return the same name. On error the name is "".
//
// Mktemp is racy, as the classic module's mktemp is: another process can
// create the name between the check and your use of it. Prefer a function
// that creates the file: [CreateTemp], [NewFile], [TemporaryFile], or
// [Scope.Name] whose directory nobody else can write to. If you must use
// the name, create it with O_EXCL.
func Mktemp(suffix string) (string, error) {
	r, err := Options{Suffix: suffix}.resolve("mktemp", 0)
	if err != nil {
		return "", err
	}
	// A name in a missing directory is free but useless: say so now.
	if err := mktempDir(r.dir); err != nil {
		return "", err
	}
	return create("mktemp", r, func(name genName) (string, error) {
		if err := free(name); err != nil {
			// Not a name to hand out: an error other than "exists"
			// (an unsearchable directory, say) ends the loop with it.
			return "", err
		}
		return name.s, nil
	})
}

// The checks of isDir and free (sys_unix.go, sys_windows.go) go
// straight to the system on Unix rather than through os.Stat and
// os.Lstat: the go command records every os file access of a test in its
// log and checks each again before it trusts a cached result, and the
// tests draw hundreds of thousands of names.

// errExists is free's answer for a name that is taken: it matches
// fs.ErrExist, so create tries the next name.
func errExists(name string) error { return &fs.PathError{Op: "mktemp", Path: name, Err: fs.ErrExist} }

// TemporaryFile returns a new file for reading and writing (the classic
// module's w+b), mode 0600, in [Dir], that nobody else can open and that
// vanishes when it is closed or the process dies:
//
//   - on Linux it is opened with O_TMPFILE, so it never has a name (if the
//     file system cannot do that, it is created and unlinked at once);
//   - elsewhere on Unix it is created and unlinked before TemporaryFile
//     returns;
//   - on Windows it is opened delete-on-close.
//
// suffix only shapes the name the file would have had (its Name method),
// but is checked like any suffix. Go files are unbuffered: wrap the file in
// a bufio.Reader or bufio.Writer for the classic module's bufsize. For the
// mode and other options, use [NewTemporaryFile].
func TemporaryFile(suffix string) (*os.File, error) {
	return NewTemporaryFile(Options{Suffix: suffix})
}

// NewTemporaryFile is [TemporaryFile] with [Options]: the directory,
// prefix and suffix, the mode and extra open flags (os.O_WRONLY or
// os.O_APPEND, say). The name of the returned file is informational: no
// directory entry refers to it.
func NewTemporaryFile(o Options) (*os.File, error) {
	r, err := o.resolve("temporaryfile", 0o600)
	if err != nil {
		return nil, err
	}
	return openUnnamed(r)
}

// CreateTemp creates a new file in o.Dir, opens it for reading and writing
// and returns it; its name is o.Prefix + random digits + o.Suffix. The file
// is kept: removing it is the caller's job (see [NewFile] for one that
// removes itself). It is the counterpart of os.CreateTemp and Python's
// mkstemp, created with O_EXCL|O_NOFOLLOW|O_CLOEXEC and mode 0600.
func CreateTemp(o Options) (*os.File, error) {
	r, err := o.resolve("createtemp", 0o600)
	if err != nil {
		return nil, err
	}
	return createFile("createtemp", r)
}

// createFile creates a file exclusively at a fresh name in r.dir, opened
// with r.flag and created with r.perm.
func createFile(op string, r resolved) (*os.File, error) {
	return create(op, r, func(name genName) (*os.File, error) {
		return openExcl(name, r.flag, r.perm)
	})
}

// MkdirTemp creates a new directory in o.Dir, mode 0700 unless o.Perm says
// otherwise, and returns its absolute path. The directory is kept: removing
// it is the caller's job (see [NewScope] for one that is removed as a unit).
// On error the path is "", as Go's convention wants.
func MkdirTemp(o Options) (string, error) {
	r, err := o.resolve("mkdirtemp", 0o700)
	if err != nil {
		return "", err
	}
	return create("mkdirtemp", r, func(name genName) (string, error) {
		if err := os.Mkdir(name.s, r.perm); err != nil {
			return "", err // a name that was never made goes nowhere
		}
		return name.s, nil
	})
}

// create runs make on fresh names in r.dir until one does not exist yet.
// r has been checked (see resolve).
func create[T any](op string, r resolved, make func(name genName) (T, error)) (T, error) {
	for range maxTries {
		v, err := make(makeName(r.dir, r.prefix, r.suffix))
		if err != nil && isExist(err) {
			continue
		}
		return v, err
	}
	var zero T
	return zero, errExhausted(op, r.dir, r.prefix, r.suffix)
}

// maxTries bounds the retries on a name that exists already. With 20
// random digits a collision is all but impossible unless someone plants
// names on purpose; giving up then is better than looping forever.
const maxTries = 10000

// errExhausted reports that every name tried existed.
func errExhausted(op, dir, prefix, suffix string) error {
	return &fs.PathError{Op: op, Path: dir + string(os.PathSeparator) + prefix + "*" + suffix,
		Err: fmt.Errorf("%w: all %d names tried exist", fs.ErrExist, maxTries)}
}
