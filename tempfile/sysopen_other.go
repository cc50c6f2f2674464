//go:build unix && !linux

package tempfile

import "golang.org/x/sys/unix"

// openat is unix.Openat: outside Linux, x/sys goes through libc or
// per-system wrappers that are not worth bypassing for one allocation.
func openat(dirfd int, name genName, flags int, perm uint32) (int, error) {
	return unix.Openat(dirfd, name.s, flags, perm)
}

// unlinkat is unix.Unlinkat(dirfd, name, 0).
func unlinkat(dirfd int, name genName) error { return unix.Unlinkat(dirfd, name.s, 0) }
