//go:build linux && !tempfile_portable

// Linux's fast paths: O_TMPFILE, renameat2, installing a file through
// /proc/self/fd, and openat without x/sys's copy of the name. With the
// tempfile_portable tag, Linux builds the path macOS takes instead
// (sys_portable_unix.go, sys_link_unix.go), so that path is tested where no
// Mac is.

package tempfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// noTmpfile forces the created-then-unlinked fallback; tests set it to
// prove the fallback leaves no entry behind.
var noTmpfile atomic.Bool

// openUnnamed opens an O_TMPFILE file in r.dir. O_EXCL forbids ever giving
// it a name with linkat. Kernels before 3.11 read O_TMPFILE as O_DIRECTORY
// and fail with EISDIR; file systems without support fail with EOPNOTSUPP
// (or EINVAL on some): then fall back to create-and-unlink.
//
// The informational name is built in the same bytes that first carry the
// directory, NUL-terminated, to the kernel: the directory needs no copy of
// its own for the syscall.
func openUnnamed(r resolved) (*os.File, error) {
	if !noTmpfile.Load() {
		flags := r.flag&^unix.O_ACCMODE | accessMode(r.flag) | unix.O_TMPFILE | unix.O_EXCL | unix.O_CLOEXEC
		b := startName(r.dir, r.prefix, r.suffix)
		for {
			fd, err := openat(unix.AT_FDCWD, dirName(b, r.dir), flags, uint32(r.perm))
			switch err {
			case nil:
				return os.NewFile(uintptr(fd), finishName(b, r.dir, r.prefix, r.suffix).s), nil
			case unix.EINTR:
				continue
			case unix.EISDIR, unix.EOPNOTSUPP, unix.EINVAL:
				return createUnlinked(r)
			}
			return nil, &fs.PathError{Op: "open", Path: r.dir, Err: err}
		}
	}
	return createUnlinked(r)
}

// noRenameat2 forces the link-and-unlink fallback, for its tests.
var noRenameat2 atomic.Bool

func renameNoReplace(oldpath, newpath string) error {
	if !noRenameat2.Load() {
		err := unix.Renameat2(unix.AT_FDCWD, oldpath, unix.AT_FDCWD, newpath, unix.RENAME_NOREPLACE)
		switch err {
		case nil:
			return nil
		case unix.EINVAL, unix.ENOSYS, unix.EOPNOTSUPP:
			// Old kernel, or a file system that cannot do RENAME_NOREPLACE.
		default:
			return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
		}
	}
	return linkNoReplace(oldpath, newpath)
}

// install moves the temporary file f, whose identity is fi, from old to
// new, binding the open descriptor rather than whatever the name leads
// to, so that a name replaced at any moment is never installed:
//
//   - a free new gets a hard link to the descriptor itself (linkat of
//     /proc/self/fd/N, or AT_EMPTY_PATH where /proc is missing and the
//     caller has CAP_DAC_READ_SEARCH); linkat never replaces, so this is
//     also PersistNoClobber;
//   - an existing new, for Persist, is exchanged with old in one
//     renameat2(RENAME_EXCHANGE); if what arrived at new is not this
//     file, a second exchange puts both back as they were. That is for a
//     new in old's directory (WriteFile's case, and Persist's with
//     Options.Dir beside the destination); across directories Persist
//     goes by name.
//
// The old name is removed afterwards only if it still is this file (after
// an exchange it holds the replaced target, which goes). Where the kernel
// or file system cannot do these calls, installByName does the job by
// name, with its window.
func install(f *os.File, fi fs.FileInfo, old, new string, noClobber bool) error {
	if noFdLink.Load() {
		return installByName(fi, old, new, noClobber)
	}
	if err := checkNamed(old, fi); err != nil {
		return err
	}
	if hookAfterCheck != nil {
		hookAfterCheck(old)
	}
	if !noClobber && filepath.Dir(old) != absDir(new) {
		// An exchange would put the former target, for an instant, at
		// the temporary name: in the temporary directory, maybe /tmp,
		// readable there if its mode allows, which its own directory
		// may not have. Only within one directory is that no exposure.
		return installByName(fi, old, new, false)
	}
	if !noClobber {
		switch err := unix.Renameat2(unix.AT_FDCWD, old, unix.AT_FDCWD, new, unix.RENAME_EXCHANGE); err {
		case nil:
			return settleExchange(fi, old, new)
		case unix.ENOENT:
			// Nothing at new yet (or at old, which the link below
			// cannot mistake): link the descriptor there.
		case unix.EINVAL, unix.ENOSYS, unix.EOPNOTSUPP:
			return installByName(fi, old, new, false) // no exchange here
		default:
			return &os.LinkError{Op: "rename", Old: old, New: new, Err: err}
		}
	}
	switch err := linkFd(f, new); err {
	case nil:
		return dropOld(fi, old, new)
	case unix.EEXIST:
		if noClobber {
			return &os.LinkError{Op: "link", Old: old, New: new, Err: err}
		}
		// Created between the exchange and the link: replace it by name.
	case unix.EXDEV:
		return &os.LinkError{Op: "link", Old: old, New: new, Err: err}
	}
	// ENOENT: the file has no name left (its name was renamed over, and
	// an unnamed file cannot be linked again), no /proc, or no directory
	// for new; or a file system without hard links. The rename by name
	// gives the answer: ErrReplaced for the first, the right error for
	// the others.
	return installByName(fi, old, new, noClobber)
}

// absDir is the directory of name, made absolute as the temporary name
// is: WriteFile's target may be relative ("config.json"), and is in the
// temporary file's directory all the same.
func absDir(name string) string {
	if abs, err := filepath.Abs(name); err == nil {
		name = abs
	}
	return filepath.Dir(name)
}

// linkFd gives the open file f the new name new, whatever its old name
// now refers to. It never replaces new (EEXIST).
func linkFd(f *os.File, new string) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var lerr error
	if err := rc.Control(func(fd uintptr) {
		lerr = unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(int(fd)), unix.AT_FDCWD, new, unix.AT_SYMLINK_FOLLOW)
		if lerr == unix.ENOENT {
			// No /proc mounted (or no directory for new): linking the
			// descriptor directly needs CAP_DAC_READ_SEARCH.
			if err := unix.Linkat(int(fd), "", unix.AT_FDCWD, new, unix.AT_EMPTY_PATH); err != unix.ENOENT && err != unix.EPERM {
				lerr = err
			}
		}
	}); err != nil {
		return err
	}
	return lerr
}

// dropOld removes the old name once the file is linked at new, if the
// old name still is this file: a stranger put there meanwhile stays. If
// it cannot be removed, the new link goes again, so a failure leaves the
// file as it was.
func dropOld(fi fs.FileInfo, old, new string) error {
	if same, err := namedAs(old, fi); err != nil || !same {
		return nil // the file is at new; what is at old is not ours
	}
	if err := os.Remove(old); err != nil {
		if same, nerr := namedAs(new, fi); nerr == nil && same {
			os.Remove(new)
		}
		return err
	}
	return nil
}

// settleExchange finishes an exchange of old and new: new must now hold
// this file, and old what was at new, which goes. If new holds a stranger
// (old was replaced after the check), or old a directory (a rename would
// have refused to replace it: EISDIR), a second exchange undoes the first.
func settleExchange(fi fs.FileInfo, old, new string) error {
	undo := func(err error) error {
		if back := unix.Renameat2(unix.AT_FDCWD, old, unix.AT_FDCWD, new, unix.RENAME_EXCHANGE); back != nil {
			return joinErrs(err, &os.LinkError{Op: "rename", Old: new, New: old, Err: back})
		}
		return err
	}
	if same, err := namedAs(new, fi); err != nil || !same {
		return undo(errReplaced(old))
	}
	// The former target was replaced, as a rename replaces it: only its
	// name at old is left to remove. Linux's unlink refuses a directory
	// (EISDIR), which a rename would have refused to replace: undo then.
	// Any other failure (the file is installed) would leave the former
	// target behind; nothing in a directory where the exchange just
	// succeeded makes that likely.
	if err := unix.Unlink(old); err == unix.EISDIR {
		return undo(&os.LinkError{Op: "rename", Old: old, New: new, Err: err})
	}
	return nil
}

// installsByFd: here install binds the open descriptor itself.
const installsByFd = true

// openat and unlinkat are their x/sys namesakes for generated names.
// x/sys copies a name into a new NUL-terminated buffer before the
// syscall; a genName already has its NUL, so the kernel reads it in place
// and a create costs one allocation less. Errors are bare unix.Errno
// values, as from x/sys.

func openat(dirfd int, name genName, flags int, perm uint32) (int, error) {
	p, err := cstring(name)
	if err != nil {
		return -1, err
	}
	// x/sys adds O_LARGEFILE too: it matters on 32-bit systems.
	fd, _, errno := unix.Syscall6(unix.SYS_OPENAT, uintptr(dirfd), uintptr(unsafe.Pointer(p)),
		uintptr(flags|unix.O_LARGEFILE), uintptr(perm), 0, 0)
	// The conversion rule keeps p alive through the call where Syscall6 is
	// assembly; on ppc64 it is a Go function, so say it outright.
	runtime.KeepAlive(p)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}

func unlinkat(dirfd int, name genName) error {
	p, err := cstring(name)
	if err != nil {
		return err
	}
	_, _, errno := unix.Syscall(unix.SYS_UNLINKAT, uintptr(dirfd), uintptr(unsafe.Pointer(p)), 0)
	runtime.KeepAlive(p)
	if errno != 0 {
		return errno
	}
	return nil
}

// cstring returns the bytes of name for the kernel, after the checks x/sys
// makes: a name holding a NUL (from a directory given to SetDir, which
// checks nothing) fails with EINVAL rather than being cut short by the
// kernel, and an empty one fails as the kernel would fail it.
func cstring(name genName) (*byte, error) {
	if name.s == "" {
		return nil, unix.ENOENT
	}
	if strings.IndexByte(name.s, 0) >= 0 {
		return nil, unix.EINVAL
	}
	p := unsafe.StringData(name.s)
	if *(*byte)(unsafe.Add(unsafe.Pointer(p), len(name.s))) != 0 {
		// Cannot happen while genName keeps its promise; if it ever did,
		// the kernel would read a longer name than the one checked.
		panic("tempfile: generated name " + name.s + " lost its NUL")
	}
	return p, nil
}
