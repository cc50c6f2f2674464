package tempfile

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// dirStat is what the removal needs to know of a directory: its identity,
// its mode, and its mount.
type dirStat struct {
	dev, ino uint64
	mode     uint32
	mnt      uint64 // the mount id, if hasMnt
	hasMnt   bool
}

// noStatx is set once statx turns out to be missing (before Linux 4.11,
// or filtered by a seccomp profile): fstat then serves, st_dev alone
// telling mounts apart.
var noStatx atomic.Bool

// statDir describes the directory open at fd (O_PATH will do). A bind
// mount of a directory on the same file system has the same st_dev: the
// mount id (statx's STATX_MNT_ID, Linux 5.8) is what tells it apart.
func statDir(fd int) (dirStat, error) {
	if !noStatx.Load() {
		var sx unix.Statx_t
		err := ignoringEINTR(func() error {
			return unix.Statx(fd, "", unix.AT_EMPTY_PATH|unix.AT_SYMLINK_NOFOLLOW|unix.AT_STATX_SYNC_AS_STAT,
				unix.STATX_TYPE|unix.STATX_MODE|unix.STATX_INO|unix.STATX_MNT_ID, &sx)
		})
		switch err {
		case nil:
			st := dirStat{dev: unix.Mkdev(sx.Dev_major, sx.Dev_minor), ino: sx.Ino, mode: uint32(sx.Mode)}
			if sx.Mask&unix.STATX_MNT_ID != 0 {
				st.mnt, st.hasMnt = sx.Mnt_id, true
			}
			return st, nil
		case unix.ENOSYS, unix.EPERM:
			noStatx.Store(true)
		default:
			return dirStat{}, err
		}
	}
	var s unix.Stat_t
	if err := ignoringEINTR(func() error { return unix.Fstat(fd, &s) }); err != nil {
		return dirStat{}, err
	}
	return dirStat{dev: uint64(s.Dev), ino: s.Ino, mode: s.Mode}, nil
}

// sameMount reports whether s is on the mount m is on.
func (s dirStat) sameMount(m dirStat) bool {
	return s.dev == m.dev && (!s.hasMnt || !m.hasMnt || s.mnt == m.mnt)
}

// same reports whether s and t describe the same directory.
func (s dirStat) same(t dirStat) bool { return s.dev == t.dev && s.ino == t.ino }

// noFchmodat2 makes chmodDir take its fallback, for the tests.
var noFchmodat2 atomic.Bool

// chmodDir gives the owner rwx on the directory name in pfd, one that
// cannot be opened for reading. An O_PATH descriptor needs no permission
// on the directory itself and pins it: checked on the walk's mount, it is
// then chmod'ed through that descriptor, with fchmodat2's AT_EMPTY_PATH
// (Linux 6.6) or, before, through its /proc/self/fd link, as GNU libc
// does. Neither follows anything a swap could put at name. (Plain
// fchmodat on the name would follow a link swapped in: Linux ignores its
// AT_SYMLINK_NOFOLLOW.) A name that is no directory now gives ENOTDIR or
// ELOOP; without fchmodat2 or /proc, the directory stays, reported.
func chmodDir(pfd int, name string, mnt dirStat) error {
	fd, err := openDirAt(pfd, name, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	st, err := statDir(fd)
	if err != nil {
		return err
	}
	if !st.sameMount(mnt) {
		return errMountPoint
	}
	mode := st.mode&0o7777 | 0o700
	err = unix.EOPNOTSUPP
	if !noFchmodat2.Load() {
		err = ignoringEINTR(func() error { return unix.Fchmodat(fd, "", mode, unix.AT_EMPTY_PATH) })
	}
	if err == nil {
		return nil
	}
	// fchmodat2 is missing (EOPNOTSUPP from x/sys for ENOSYS) or filtered
	// (EPERM from a seccomp profile; a real EPERM comes again below).
	perr := ignoringEINTR(func() error {
		return unix.Fchmodat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(fd), mode, 0)
	})
	if perr == unix.ENOENT { // no /proc
		return err
	}
	return perr
}

// readDir reads every entry of the directory fd, with the type its
// directory entry gives (getdents64 has it on most file systems; when it
// says DT_UNKNOWN the walk asks fstatat).
func (w *walker) readDir(fd int) ([]dirent, error) {
	if w.buf == nil {
		w.buf = make([]byte, 32<<10)
	}
	const (
		offReclen = int(unsafe.Offsetof(unix.Dirent{}.Reclen))
		offType   = int(unsafe.Offsetof(unix.Dirent{}.Type))
		offName   = int(unsafe.Offsetof(unix.Dirent{}.Name))
	)
	var ents []dirent
	for {
		var n int
		err := ignoringEINTR(func() (err error) { n, err = unix.Getdents(fd, w.buf); return err })
		if err != nil || n <= 0 {
			return ents, err
		}
		for b := w.buf[:n]; len(b) >= offName; {
			reclen := int(binary.NativeEndian.Uint16(b[offReclen:]))
			if reclen < offName || reclen > len(b) {
				return ents, unix.EIO // cannot happen: the kernel wrote it
			}
			ino := binary.NativeEndian.Uint64(b)
			typ := b[offType]
			name := b[offName:reclen]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			b = b[reclen:]
			if ino == 0 || string(name) == "." || string(name) == ".." {
				continue
			}
			e := dirent{name: string(name), typ: entOther}
			switch typ {
			case unix.DT_DIR:
				e.typ = entDir
			case unix.DT_UNKNOWN:
				e.typ = entUnknown
			}
			ents = append(ents, e)
		}
	}
}
