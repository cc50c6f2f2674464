package tempfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

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
