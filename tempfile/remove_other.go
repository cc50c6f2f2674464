//go:build unix && !linux

package tempfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// dirStat is what the removal needs to know of a directory: its identity,
// its mode, and its mount (st_dev: a nullfs or bind-like mount has its
// own).
type dirStat struct {
	dev, ino uint64
	mode     uint32
}

// statDir describes the directory open at fd.
func statDir(fd int) (dirStat, error) {
	var s unix.Stat_t
	if err := ignoringEINTR(func() error { return unix.Fstat(fd, &s) }); err != nil {
		return dirStat{}, err
	}
	return dirStat{dev: uint64(s.Dev), ino: uint64(s.Ino), mode: uint32(s.Mode)}, nil
}

// sameMount reports whether s is on the mount m is on.
func (s dirStat) sameMount(m dirStat) bool { return s.dev == m.dev }

// same reports whether s and t describe the same directory.
func (s dirStat) same(t dirStat) bool { return s.dev == t.dev && s.ino == t.ino }

// chmodDir gives the owner rwx on the directory name in pfd, one that
// cannot be opened for reading. These systems honour fchmodat's
// AT_SYMLINK_NOFOLLOW, so a link swapped in is not followed; a mount
// swapped in between the check and the chmod is not caught (mounting
// there takes privileges the walk's user rarely has).
func chmodDir(pfd int, name string, mnt dirStat) error {
	var s unix.Stat_t
	if err := ignoringEINTR(func() error { return unix.Fstatat(pfd, name, &s, unix.AT_SYMLINK_NOFOLLOW) }); err != nil {
		return err
	}
	if s.Mode&unix.S_IFMT != unix.S_IFDIR {
		return unix.ENOTDIR
	}
	if uint64(s.Dev) != mnt.dev {
		return errMountPoint
	}
	return ignoringEINTR(func() error {
		return unix.Fchmodat(pfd, name, uint32(s.Mode)&0o7777|0o700, unix.AT_SYMLINK_NOFOLLOW)
	})
}

// readDir reads every entry of the directory fd, with its type, through
// a duplicate descriptor that os.File may own and close.
func (w *walker) readDir(fd int) ([]dirent, error) {
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(dup), "")
	defer f.Close()
	des, err := f.ReadDir(-1)
	ents := make([]dirent, 0, len(des))
	for _, de := range des {
		e := dirent{name: de.Name(), typ: entOther}
		if de.IsDir() {
			e.typ = entDir
		}
		ents = append(ents, e)
	}
	return ents, err
}
