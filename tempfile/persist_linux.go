//go:build !tempfile_portable

// With the tempfile_portable tag, Linux builds the link-and-unlink
// fallback instead (persist_other.go), as on a Mac without RENAME_EXCL.

package tempfile

import (
	"os"
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
