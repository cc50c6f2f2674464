//go:build unix && (!linux || tempfile_portable)

// The Unix path without Linux's fast paths (sys_linux.go): macOS and the
// BSDs take it, and so does Linux built with the tempfile_portable tag.

package tempfile

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

func openUnnamed(r resolved) (*os.File, error) { return createUnlinked(r) }

// install moves the temporary file f, whose identity is fi, from old to
// new. Without Linux's /proc/self/fd and RENAME_EXCHANGE the file can only
// be moved by name: see installByName for what that leaves open.
func install(_ *os.File, fi fs.FileInfo, old, new string, noClobber bool) error {
	return installByName(fi, old, new, noClobber)
}

// installsByFd: here install works by name (see installByName).
const installsByFd = false

// openat is unix.Openat: outside Linux, x/sys goes through libc or
// per-system wrappers that are not worth bypassing for one allocation.
func openat(dirfd int, name genName, flags int, perm uint32) (int, error) {
	return unix.Openat(dirfd, name.s, flags, perm)
}

// unlinkat is unix.Unlinkat(dirfd, name, 0).
func unlinkat(dirfd int, name genName) error { return unix.Unlinkat(dirfd, name.s, 0) }
