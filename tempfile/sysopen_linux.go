package tempfile

import (
	"runtime"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

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
