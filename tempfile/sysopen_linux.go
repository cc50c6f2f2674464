package tempfile

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// openat is unix.Openat for a generated name. unix.Openat copies the name
// into a new NUL-terminated buffer before the syscall; a genName already
// has its NUL, so the kernel reads it in place and a create costs one
// allocation less. Errors are bare unix.Errno values, as from x/sys.
func openat(dirfd int, name genName, flags int, perm uint32) (int, error) {
	p := unsafe.StringData(name.s)
	if *(*byte)(unsafe.Add(unsafe.Pointer(p), len(name.s))) != 0 {
		// Cannot happen while genName keeps its promise; if it ever did,
		// the kernel would read a longer name than the one checked.
		panic("tempfile: generated name " + name.s + " lost its NUL")
	}
	fd, _, errno := unix.Syscall6(unix.SYS_OPENAT, uintptr(dirfd), uintptr(unsafe.Pointer(p)), uintptr(flags), uintptr(perm), 0, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}
