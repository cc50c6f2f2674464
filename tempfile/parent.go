package tempfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// unsafeDirError says why the per-user parent was refused. It matches
// fs.ErrPermission: using it would hand control of our files to someone.
// fallback, if set, is why no private fallback could be made instead.
type unsafeDirError struct {
	reason   string
	fallback error
}

func (e *unsafeDirError) Error() string {
	s := e.reason + "; refusing to use it"
	if e.fallback != nil {
		s += ", and no private fallback could be made: " + e.fallback.Error()
	}
	return s
}

func (e *unsafeDirError) Is(target error) bool { return target == fs.ErrPermission }

func unsafeDir(path, reason string) error {
	return &fs.PathError{Op: "scope parent", Path: path, Err: &unsafeDirError{reason: reason}}
}

// isRefused reports whether err is a refusal of a parent by openChecked.
func isRefused(err error) bool {
	var u *unsafeDirError
	return errors.As(err, &u)
}

// openChecked opens the parent of scopes at path. It refuses a symbolic
// link, a non-directory, and a directory that another user owns or that
// group or others can enter: any of those would let another user read,
// plant or remove files in our scopes. The checks are made on the
// directory the returned Root holds, so a swap after them changes nothing.
func openChecked(path string) (*os.Root, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, unsafeDir(path, "is a symbolic link")
	}
	if !fi.IsDir() {
		return nil, unsafeDir(path, "is not a directory")
	}
	if err := checkPrivate(path, fi); err != nil {
		return nil, err
	}
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	ri, err := r.Stat(".")
	if err != nil {
		r.Close()
		return nil, err
	}
	if !os.SameFile(fi, ri) {
		r.Close()
		return nil, unsafeDir(path, "was replaced while being opened")
	}
	return r, nil
}

// The per-user parent of scopes in a temp directory is
// tmpdir/mgtemp-<uid>. Anyone can make that name first in a shared /tmp
// (a directory of their own, a symbolic link, a file), and a refused
// parent must not stop a build: the scopes then go to a private fallback
// beside it, tmpdir/mgtemp-<uid>.<digits>, whose name nobody can guess
// ahead, made 0700 and held to the same checks. Sweep and Scopes look in
// the parent and in every fallback that passes the checks, so a fallback
// made by one process is found by the next; nothing is ever written into
// a refused directory.

// openParent opens the per-user parent of scopes in tmpdir for a new
// scope, creating it (0700) if needed, or a fallback if it is refused.
func openParent(tmpdir string) (string, *os.Root, error) {
	if err := checkDir("scope parent", tmpdir); err != nil {
		return "", nil, err
	}
	path := filepath.Join(tmpdir, parentName())
	if err := os.Mkdir(path, 0o700); err != nil && !isExist(err) {
		return "", nil, err
	}
	r, err := openChecked(path)
	if err == nil || !isRefused(err) {
		return path, r, err
	}
	fpath, r, ferr := openFallback(tmpdir)
	if ferr != nil {
		var u *unsafeDirError
		errors.As(err, &u)
		u.fallback = ferr
		return "", nil, err
	}
	warnRefused(err, fpath)
	return fpath, r, nil
}

// openFallback opens the first of this user's fallbacks in tmpdir that
// passes the checks, or makes one.
func openFallback(tmpdir string) (string, *os.Root, error) {
	names, err := fallbackNames(tmpdir)
	if err != nil {
		return "", nil, err
	}
	for _, name := range names {
		path := filepath.Join(tmpdir, name)
		if r, err := openChecked(path); err == nil {
			return path, r, nil
		}
	}
	prefix := parentName() + "."
	for range maxTries {
		path := makeName(tmpdir, prefix, "").s
		if err := os.Mkdir(path, 0o700); err != nil {
			if isExist(err) {
				continue
			}
			return "", nil, err
		}
		r, err := openChecked(path)
		return path, r, err
	}
	return "", nil, errExhausted("scope parent", tmpdir, prefix, "")
}

// fallbackNames lists, sorted, the names in tmpdir of the form of this
// user's fallback parents. Whether each is one is for openChecked to say.
func fallbackNames(tmpdir string) ([]string, error) {
	d, err := os.Open(tmpdir)
	if err != nil {
		return nil, err
	}
	all, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return nil, err
	}
	prefix := parentName() + "."
	var names []string
	for _, n := range all {
		if digits, ok := strings.CutPrefix(n, prefix); ok && len(digits) == digitsWidth && allDigits(digits) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

// warnOnce keeps the refusal warning to one line per process.
var warnOnce sync.Once

// warnRefused says once on stderr that the per-user parent was refused,
// and where the scopes go instead (fallback, or "" when only looking).
func warnRefused(err error, fallback string) {
	warnOnce.Do(func() {
		where := "its private fallbacks " + parentName() + ".*"
		if fallback != "" {
			where = fallback
		}
		fmt.Fprintf(os.Stderr, "tempfile: warning: %v; using %s instead\n", err, where)
	})
}

// parentDir is one parent of scopes, opened and listed by listParents.
type parentDir struct {
	path  string
	root  *os.Root
	dir   *os.File // the same directory: its descriptor serves the lock probes (lock_unix.go)
	names []string // its entries; their types are checked where it matters (no lstat each)
	has   map[string]bool
}

// scopeDir returns the directory of scopes that dir names: Dir() for "",
// else dir made absolute. A NUL in it is fs.ErrInvalid.
func scopeDir(op, dir string) (string, error) {
	if dir == "" {
		dir = Dir() // absolute, but SetDir takes any value
	}
	if err := checkDir(op, dir); err != nil {
		return "", err
	}
	return filepath.Abs(dir)
}

// listParents opens and lists the per-user parent of scopes in dir (""
// means Dir()) and every fallback of it that passes the checks. A
// missing or refused parent is skipped (a refusal with a warning), and so
// is a fallback that fails the checks: it is not ours. Failures to open
// or read a parent are returned in err, beside the parents that could be
// read; the caller closes each root.
func listParents(dir string) (list []*parentDir, err error) {
	dir, err = scopeDir("scope parent", dir)
	if err != nil {
		return nil, err
	}
	var errs []error
	add := func(path string, r *os.Root) {
		d, err := r.Open(".")
		var names []string
		if err == nil {
			if names, err = d.Readdirnames(-1); err != nil {
				d.Close()
			}
		}
		if err != nil {
			r.Close()
			errs = append(errs, err)
			return
		}
		has := make(map[string]bool, len(names))
		for _, n := range names {
			has[n] = true
		}
		list = append(list, &parentDir{path: path, root: r, dir: d, names: names, has: has})
	}
	main := filepath.Join(dir, parentName())
	r, err := openChecked(main)
	refused := isRefused(err)
	switch {
	case err == nil:
		add(main, r)
	case refused:
		warnRefused(err, "")
	case !isNotExist(err):
		errs = append(errs, err)
	}
	names, err := fallbackNames(dir)
	if err != nil && refused {
		// The fallbacks are where this user's scopes are: say why they
		// cannot be found. (Otherwise a temp directory that can be
		// searched but not listed just has no fallbacks to offer.)
		errs = append(errs, err)
	}
	for _, name := range names {
		path := filepath.Join(dir, name)
		if r, err := openChecked(path); err == nil {
			add(path, r)
		}
	}
	return list, joinErrs(errs...)
}

func closeParents(list []*parentDir) {
	for _, p := range list {
		p.dir.Close()
		p.root.Close()
	}
}
