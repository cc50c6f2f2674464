//go:build unix

package tempfile

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hashicorp/go-multierror"
	"golang.org/x/sys/unix"
)

// removeTree removes the directory parent/name and everything in it, and
// reports every failure in a *multierror.Error.
//
// It walks over directory descriptors: each directory is opened relative
// to its parent's descriptor, one name at a time, with O_NOFOLLOW and
// O_DIRECTORY, and its entries are unlinked relative to its own. So a
// symbolic link is removed, never followed, `..` is never taken, and a
// directory swapped for a link while the walk runs is refused. Each
// directory opened is checked to be on the parent's mount (st_dev, and on
// Linux the mount id, which tells a bind mount of the same file system
// apart): a mount point is left alone, neither entered nor chmod'ed, and
// reported as errMountPoint. Where the owner's rwx is missing it is given
// back: with fchmod on the open directory, or, for a directory that
// cannot even be opened (no read permission), through a descriptor that
// pins it (chmodDir). That includes the scope's own directory, through the
// parent's descriptor.
//
// Each directory is read and removed once, and opened at most twice: the
// cost is linear in the tree (a 1000-deep chain takes 1939 opens). At
// most about keepOpen+depth/keepOpen descriptors are open at a time (see
// fdOf), however deep the tree.
//
// scope is not used: the walk opens name afresh in parent, which is what
// both callers mean (Scope.removeTree has checked that the name still
// holds the scope's directory; Sweep has only the name).
func removeTree(parent *os.Root, name string, scope *os.Root) error {
	pf, err := parent.Open(".")
	if err != nil {
		return err
	}
	defer pf.Close()
	w := walker{base: parent.Name(), pfd: int(pf.Fd())}
	if w.mnt, err = statDir(w.pfd); err != nil {
		return &fs.PathError{Op: "stat", Path: w.base, Err: err}
	}
	w.run(name)
	return w.errs.ErrorOrNil()
}

// keepOpen is how many of the innermost directories on the walk's path
// keep their descriptors open; above them only every keepOpen-th does.
const keepOpen = 32

// A walker removes one tree.
type walker struct {
	base  string  // the parent's path, for errors
	pfd   int     // the parent's descriptor
	mnt   dirStat // the parent's mount: the walk never leaves it
	stack []frame // the directories from the tree's top down to the one being emptied
	buf   []byte  // for reading directories
	errs  *multierror.Error
}

// A frame is a directory on the walk's path.
type frame struct {
	name   string   // in the directory of the frame above (or in the parent)
	fd     int      // -1 while closed (see fdOf)
	id     dirStat  // its identity, to check it again when reopened
	ents   []dirent // the entries not yet removed
	failed bool     // something in it stays: it cannot be removed
}

// A dirent is a directory entry, with its type if the file system gives
// it.
type dirent struct {
	name string
	typ  entType
}

type entType uint8

const (
	entUnknown entType = iota
	entDir
	entOther // anything but a directory: unlinked, never opened
)

func (w *walker) run(name string) {
	w.push(w.pfd, name)
	for len(w.stack) > 0 {
		top := len(w.stack) - 1
		f := &w.stack[top]
		if len(f.ents) == 0 {
			w.pop()
			continue
		}
		e := f.ents[len(f.ents)-1]
		f.ents = f.ents[:len(f.ents)-1]
		fd, ok := w.fdOf(top)
		if !ok {
			continue
		}
		if e.typ == entUnknown {
			e.typ = entryType(fd, e.name)
		}
		if e.typ == entDir {
			w.push(fd, e.name)
			continue
		}
		w.unlink(fd, e.name, top, true)
	}
}

// push opens the directory name in the directory pfd, the top frame's
// (or the parent's), gives the owner rwx on it and reads it, making it
// the new top frame. Whatever stops that is reported against the frame
// below, which then stays.
func (w *walker) push(pfd int, name string) {
	fd, id, op, err := w.openDir(pfd, name)
	switch err {
	case nil:
	case unix.ENOENT:
		return // gone already
	default:
		if err == unix.ENOTDIR || err == unix.ELOOP || (err != errMountPoint && !isDir(pfd, name)) {
			// No longer a directory (a link, say: Linux says ELOOP,
			// FreeBSD EMLINK, NetBSD EFTYPE): unlink the name, whatever
			// it is now, but no more than once.
			w.unlink(pfd, name, len(w.stack)-1, false)
			return
		}
		w.fail(len(w.stack)-1, op, name, err)
		return
	}
	w.stack = append(w.stack, frame{name: name, fd: fd, id: id})
	d := len(w.stack) - 1
	ents, err := w.readDir(fd)
	w.stack[d].ents = ents
	if err != nil {
		w.fail(d, "readdirent", "", err)
	}
	// Keep the innermost keepOpen frames open, and every keepOpen-th.
	if c := d - keepOpen; c > 0 && c%keepOpen != 0 && w.stack[c].fd >= 0 {
		unix.Close(w.stack[c].fd)
		w.stack[c].fd = -1
	}
}

// pop removes the top frame's directory, now emptied, unless something in
// it stayed.
func (w *walker) pop() {
	top := len(w.stack) - 1
	f := w.stack[top]
	if f.fd >= 0 {
		unix.Close(f.fd)
	}
	w.stack = w.stack[:top]
	if f.failed {
		w.markFailed(top - 1)
		return
	}
	pfd, ok := w.fdOf(top - 1)
	if !ok {
		return
	}
	if err := ignoringEINTR(func() error { return unix.Unlinkat(pfd, f.name, unix.AT_REMOVEDIR) }); err != nil && err != unix.ENOENT {
		w.fail(top-1, "remove", f.name, err)
	}
}

// unlink removes name, not a directory, from the directory fd, frame d's.
// If name is a directory after all, it is emptied as any other, when
// again is true: once a name was taken for both, the walk stops there
// rather than follow a name that keeps changing its kind.
func (w *walker) unlink(fd int, name string, d int, again bool) {
	err := ignoringEINTR(func() error { return unix.Unlinkat(fd, name, 0) })
	if again && (err == unix.EISDIR || err == unix.EPERM) && isDir(fd, name) {
		// A directory now, in place of what was listed (Linux says
		// EISDIR, the BSDs EPERM): its turn to be emptied, as carefully
		// as any other.
		w.push(fd, name)
		return
	}
	if err != nil && err != unix.ENOENT {
		w.fail(d, "remove", name, err)
	}
}

// openDir opens name in the directory pfd, refusing a link, anything but
// a directory and another mount, and gives the owner rwx on it. On
// failure op says what failed.
func (w *walker) openDir(pfd int, name string) (fd int, st dirStat, op string, err error) {
	const flags = unix.O_RDONLY | unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC
	fd, err = openDirAt(pfd, name, flags)
	if err == unix.EACCES {
		// No read permission: restore it through a handle that does not
		// need it, then open again.
		if err := chmodDir(pfd, name, w.mnt); err != nil {
			return -1, dirStat{}, "chmod", err
		}
		fd, err = openDirAt(pfd, name, flags)
	}
	if err != nil {
		return -1, dirStat{}, "open", err
	}
	op = "stat"
	st, err = statDir(fd)
	if err == nil && !st.sameMount(w.mnt) {
		err = errMountPoint
	}
	if err == nil && st.mode&0o700 != 0o700 {
		op = "chmod"
		err = ignoringEINTR(func() error { return unix.Fchmod(fd, st.mode&0o7777|0o700) })
	}
	if err != nil {
		unix.Close(fd)
		return -1, dirStat{}, op, err
	}
	return fd, st, "", nil
}

// fdOf returns frame d's descriptor (-1: the parent's), opening it again
// if it was closed to bound the descriptors the walk holds. Frames from
// the nearest open one above are reopened in turn, each checked to be the
// very directory the walk first opened there: one that was moved or
// replaced meanwhile is reported, not emptied. Each descriptor closed
// was closed for one directory entered (push closes at most one), and is
// reopened at most once for it: reopening costs at most one open per
// directory of the tree.
func (w *walker) fdOf(d int) (int, bool) {
	if d < 0 {
		return w.pfd, true
	}
	if w.stack[d].fd >= 0 {
		return w.stack[d].fd, true
	}
	k := d
	for k >= 0 && w.stack[k].fd < 0 {
		k--
	}
	for k++; k <= d; k++ {
		pfd, _ := w.fdOf(k - 1)
		f := &w.stack[k]
		fd, err := openDirAt(pfd, f.name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC)
		var st dirStat
		if err == nil {
			if st, err = statDir(fd); err == nil && !st.same(f.id) {
				err = errMoved
			}
			if err != nil {
				unix.Close(fd)
			}
		}
		if err != nil {
			w.fail(k-1, "open", f.name, err)
			for j := k; j <= d; j++ {
				w.stack[j].ents = nil
				w.stack[j].failed = true
			}
			return -1, false
		}
		f.fd = fd
	}
	return w.stack[d].fd, true
}

// fail reports err for name in frame d's directory ("" for the directory
// itself) and marks the frame, and every frame above it, as staying.
func (w *walker) fail(d int, op, name string, err error) {
	if err == errMountPoint {
		op = "remove"
	} else if err == unix.EBUSY {
		err = errMountPoint // unlinkat and rmdir say so of a mount point
	}
	w.errs = multierror.Append(w.errs, &fs.PathError{Op: op, Path: w.path(d, name), Err: err})
	w.markFailed(d)
}

func (w *walker) markFailed(d int) {
	for ; d >= 0 && !w.stack[d].failed; d-- {
		w.stack[d].failed = true
	}
}

// path is the path of name in frame d's directory, for errors.
func (w *walker) path(d int, name string) string {
	parts := make([]string, 0, d+3)
	parts = append(parts, w.base)
	for i := 0; i <= d; i++ {
		parts = append(parts, w.stack[i].name)
	}
	return filepath.Join(append(parts, name)...)
}

// entryType finds the type of name in the directory fd where the
// directory entry did not say.
func entryType(fd int, name string) entType {
	if isDir(fd, name) {
		return entDir
	}
	return entOther // or gone: unlinking it says which
}

// isDir reports whether name in the directory fd is a directory (a link
// to one is not).
func isDir(fd int, name string) bool {
	var st unix.Stat_t
	err := ignoringEINTR(func() error { return unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) })
	return err == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR
}

// openDirAt is openat for a directory (flags say how), retried on EINTR
// (which FUSE file systems may return).
func openDirAt(dirfd int, name string, flags int) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, name, flags, 0)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

func ignoringEINTR(f func() error) error {
	for {
		if err := f(); err != unix.EINTR {
			return err
		}
	}
}
