package tempfile

import (
	"io/fs"
	"os"
	"path/filepath"
)

// unsafeDirError says why the per-user parent was refused. It matches
// fs.ErrPermission: using it would hand control of our files to someone.
type unsafeDirError struct{ reason string }

func (e *unsafeDirError) Error() string        { return e.reason + "; refusing to use it" }
func (e *unsafeDirError) Is(target error) bool { return target == fs.ErrPermission }

func unsafeDir(path, reason string) error {
	return &fs.PathError{Op: "scope parent", Path: path, Err: &unsafeDirError{reason}}
}

// openParent opens the per-user parent of scopes in tmpdir,
// tmpdir/mgtemp-<uid>, creating it (0700) if create is set. It refuses a
// symbolic link, a non-directory, and a directory that another user owns
// or that group or others can enter: any of those would let another user
// read, plant or remove files in our scopes. The checks are made on the
// directory the returned Root holds, so a swap after them changes nothing.
func openParent(tmpdir string, create bool) (string, *os.Root, error) {
	if err := checkDir("scope parent", tmpdir); err != nil {
		return "", nil, err
	}
	path := filepath.Join(tmpdir, parentName())
	if create {
		if err := os.Mkdir(path, 0o700); err != nil && !isExist(err) {
			return "", nil, err
		}
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return "", nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return "", nil, unsafeDir(path, "is a symbolic link")
	}
	if !fi.IsDir() {
		return "", nil, unsafeDir(path, "is not a directory")
	}
	if err := checkPrivate(path, fi); err != nil {
		return "", nil, err
	}
	r, err := os.OpenRoot(path)
	if err != nil {
		return "", nil, err
	}
	ri, err := r.Stat(".")
	if err != nil {
		r.Close()
		return "", nil, err
	}
	if !os.SameFile(fi, ri) {
		r.Close()
		return "", nil, unsafeDir(path, "was replaced while being opened")
	}
	return path, r, nil
}

// listParent opens the per-user parent of scopes in dir ("" means Dir())
// and lists it. A missing parent is no error: parent is nil, and so is
// err. On any other error parent is nil too; otherwise the caller closes it.
func listParent(dir string) (ppath string, parent *os.Root, entries []fs.DirEntry, err error) {
	if dir == "" {
		dir = Dir()
	}
	ppath, parent, err = openParent(dir, false)
	if err != nil {
		if isNotExist(err) {
			err = nil
		}
		return "", nil, nil, err
	}
	d, err := parent.Open(".")
	if err == nil {
		entries, err = d.ReadDir(-1)
		d.Close()
	}
	if err != nil {
		parent.Close()
		return "", nil, nil, err
	}
	return ppath, parent, entries, nil
}
