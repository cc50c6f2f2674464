package tempfile

import (
	"errors"
	"io/fs"
	"os"
)

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

func isExist(err error) bool { return errors.Is(err, fs.ErrExist) }
