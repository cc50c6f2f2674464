package tempfile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// Mktemp returns an absolute name in [Dir] made of [Prefix], random decimal
// digits and suffix, at which no file exists when it returns. No two calls
// in one process return the same name.
//
// Mktemp is racy, as the seed's mktemp is: another process can create the
// name between the check and your use of it. Prefer a function that creates
// the file: [CreateTemp], [NewFile], [TemporaryFile], or [Scope.Name] whose
// directory nobody else can write to. If you must use the name, create it
// with O_EXCL.
func Mktemp(suffix string) (string, error) {
	r, err := Options{Suffix: suffix}.resolve("mktemp", 0)
	if err != nil {
		return "", err
	}
	// A name in a missing directory is free but useless: say so now.
	if fi, err := os.Stat(r.dir); err != nil {
		return "", err
	} else if !fi.IsDir() {
		return "", &fs.PathError{Op: "mktemp", Path: r.dir, Err: syscall.ENOTDIR}
	}
	return create("mktemp", r, func(name genName) (string, error) {
		return name.s, free(name.s)
	})
}

// free returns nil if nothing exists at name, an error matching
// fs.ErrExist if something does, and any other error as it is.
func free(name string) error {
	_, err := os.Lstat(name)
	switch {
	case err == nil:
		return &fs.PathError{Op: "mktemp", Path: name, Err: fs.ErrExist}
	case isNotExist(err):
		return nil
	}
	return err
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
