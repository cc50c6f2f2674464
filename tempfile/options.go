package tempfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Options says where and how a temporary file or directory is made. The
// zero value means: in [Dir], named [Prefix] + random digits, no suffix,
// mode 0600 for files and 0700 for directories, no extra open flags.
type Options struct {
	// Dir is the directory to create in; "" means Dir(). A relative Dir is
	// made absolute, so names are always absolute.
	Dir string
	// Prefix and Suffix surround the random digits of the name; "" for
	// Prefix means Prefix(). Neither may hold a path separator or NUL.
	Prefix, Suffix string
	// Perm is the mode to create with (before the umask); 0 means 0600 for
	// files and 0700 for directories. Only permission bits are allowed.
	Perm fs.FileMode
	// Flag holds extra open flags such as os.O_APPEND or os.O_SYNC (the
	// classic module's mode argument). Files are opened read-write unless
	// Flag asks for os.O_WRONLY; O_CREATE, O_EXCL, O_NOFOLLOW and O_CLOEXEC
	// are always added.
	Flag int
}

// resolved is Options with the defaults filled in and every field checked.
type resolved struct {
	dir, prefix, suffix string
	perm                fs.FileMode
	flag                int
}

// resolve checks o and fills in the defaults; defPerm is 0600 or 0700.
// It touches no file system, so bad input creates nothing.
func (o Options) resolve(op string, defPerm fs.FileMode) (resolved, error) {
	r := resolved{dir: o.Dir, prefix: o.Prefix, suffix: o.Suffix, perm: o.Perm, flag: o.Flag}
	if r.dir == "" {
		r.dir = Dir()
	}
	if err := checkDir(op, r.dir); err != nil {
		return r, err
	}
	if o.Dir != "" && !filepath.IsAbs(r.dir) {
		abs, err := filepath.Abs(r.dir)
		if err != nil {
			return r, &fs.PathError{Op: op, Path: r.dir, Err: err}
		}
		r.dir = abs
	}
	if r.prefix == "" {
		r.prefix = Prefix()
	} else if err := checkPattern(op, "prefix", r.prefix); err != nil {
		return r, err
	}
	if err := checkPattern(op, "suffix", r.suffix); err != nil {
		return r, err
	}
	if err := checkLen(op, r.prefix, r.suffix); err != nil {
		return r, err
	}
	if r.perm == 0 {
		r.perm = defPerm
	} else if r.perm&^fs.ModePerm != 0 {
		return r, &fs.PathError{Op: op, Path: r.dir, Err: fmt.Errorf("%w: mode %v has bits other than permission bits", fs.ErrInvalid, r.perm)}
	}
	return r, nil
}

// checkDir refuses a directory name holding a NUL, which the kernel would
// read only up to the NUL: from Options.Dir, or from SetDir, which takes
// any value. It matches fs.ErrInvalid, and nothing has been touched.
func checkDir(op, dir string) error {
	if strings.IndexByte(dir, 0) >= 0 {
		return &fs.PathError{Op: op, Path: dir, Err: fmt.Errorf("%w: directory name contains NUL", fs.ErrInvalid)}
	}
	return nil
}

// errBadPattern is the cause of every bad-input error: it matches fs.ErrInvalid.
type errBadPattern struct{ what, value string }

func (e *errBadPattern) Error() string {
	return "invalid argument: " + e.what + " " + strconv.Quote(e.value) + " contains " + forbiddenInNames
}

func (e *errBadPattern) Is(target error) bool { return target == fs.ErrInvalid }

// checkPattern rejects a prefix, suffix or label that could leave the
// directory or truncate the name: any path separator, or NUL.
func checkPattern(op, what, value string) error {
	for i := 0; i < len(value); i++ {
		if value[i] == 0 || os.IsPathSeparator(value[i]) || (what != "name" && forbiddenInName(value[i])) {
			return &fs.PathError{Op: op, Path: value, Err: &errBadPattern{what, value}}
		}
	}
	return nil
}

// maxNameLen is the longest file name (one path component) that Linux,
// macOS and Windows all accept.
const maxNameLen = 255

// checkLen refuses a prefix and suffix that would make names too long for
// the file system, before anything is tried.
func checkLen(op, prefix, suffix string) error {
	if n := len(prefix) + digitsWidth + len(suffix); n > maxNameLen {
		return &fs.PathError{Op: op, Path: prefix + "*" + suffix,
			Err: fmt.Errorf("%w: names would be %d bytes long, over the %d a file name may have", fs.ErrInvalid, n, maxNameLen)}
	}
	return nil
}
