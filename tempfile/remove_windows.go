package tempfile

import (
	"os"
	"path"

	"github.com/hashicorp/go-multierror"
)

// removeTree removes the directory parent/name and everything in it.
// scope, if not nil, is a Root already open on that directory.
//
// This is the Windows walk, through os.Root; Unix has its own, over
// directory descriptors (remove_unix.go) that never crosses into another
// mount. Windows mounts a volume on a folder through a reparse point, the
// kind of a junction; whether os.Root's RemoveAll enters one is not
// tested here.
//
// The fast path is os.Root.RemoveAll, which walks with openat and
// O_NOFOLLOW and never leaves the root. If it fails (read-only
// directories, say), a second pass restores the owner's rwx on each
// directory, inside the scope only, removes what it can and collects every
// failure rather than the first one.
func removeTree(parent *os.Root, name string, scope *os.Root) error {
	if parent.RemoveAll(name) == nil {
		return nil
	}
	if scope == nil {
		fi, err := parent.Lstat(name)
		if err != nil {
			if isNotExist(err) {
				return nil
			}
			return err
		}
		if !fi.IsDir() {
			return parent.Remove(name)
		}
		r, err := parent.OpenRoot(name)
		if err != nil {
			return err
		}
		defer r.Close()
		scope = r
	}
	var c cleaner
	c.emptyDir(scope, ".")
	if err := parent.Remove(name); err != nil && !isNotExist(err) {
		c.add(err)
	}
	return c.errs.ErrorOrNil()
}

// cleaner collects the failures of a careful removal.
type cleaner struct{ errs *multierror.Error }

func (c *cleaner) add(err error) {
	if err != nil {
		c.errs = multierror.Append(c.errs, err)
	}
}

// emptyDir removes everything inside dir (a path in r), depth first.
func (c *cleaner) emptyDir(r *os.Root, dir string) {
	if !c.openUp(r, dir) {
		return
	}
	d, err := r.Open(dir)
	if err != nil {
		c.add(err)
		return
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	c.add(err)
	for _, e := range entries {
		p := path.Join(dir, e.Name())
		if e.IsDir() { // from the directory entry itself: a link is not a directory
			c.emptyDir(r, p)
		}
		if err := r.Remove(p); err != nil && !isNotExist(err) {
			c.add(err)
		}
	}
}

// openUp gives the owner rwx on dir if it lacks any, so that it can be
// listed and emptied. It reports whether dir is a directory to descend.
func (c *cleaner) openUp(r *os.Root, dir string) bool {
	fi, err := r.Lstat(dir)
	if err != nil {
		if !isNotExist(err) {
			c.add(err)
		}
		return false
	}
	if !fi.IsDir() {
		return false // swapped for something else since it was listed
	}
	if perm := fi.Mode().Perm(); perm&0o700 != 0o700 {
		if err := r.Chmod(dir, perm|0o700); err != nil {
			c.add(err)
		}
	}
	return true
}
