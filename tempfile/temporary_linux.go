//go:build !tempfile_portable

// With the tempfile_portable tag, Linux builds the path macOS takes
// instead (temporary_other.go), so that path is tested where no Mac is.

package tempfile

import (
	"io/fs"
	"os"
	"sync/atomic"

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
