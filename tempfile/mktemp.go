package tempfile

import (
	"errors"
	"io/fs"
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

// The checks of isDir and free (mktemp_unix.go, mktemp_windows.go) go
// straight to the system on Unix rather than through os.Stat and
// os.Lstat: the go command records every os file access of a test in its
// log and checks each again before it trusts a cached result, and the
// tests draw hundreds of thousands of names.

// errExists is free's answer for a name that is taken: it matches
// fs.ErrExist, so create tries the next name.
func errExists(name string) error { return &fs.PathError{Op: "mktemp", Path: name, Err: fs.ErrExist} }

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
