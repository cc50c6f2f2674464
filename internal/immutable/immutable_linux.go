// Package immutable sets the immutable attribute (chattr +i), the one
// obstacle even root cannot unlink past: the tests of both packages use it
// to make a cleanup fail for real.
package immutable

import (
	"os"

	"golang.org/x/sys/unix"
)

// flag is FS_IMMUTABLE_FL from linux/fs.h, which x/sys lacks.
const flag = 0x00000010

// Set sets or clears the immutable attribute of path. It needs root (or
// CAP_LINUX_IMMUTABLE) and a file system that has the attribute (ext4 has).
func Set(path string, on bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	flags, err := unix.IoctlGetUint32(int(f.Fd()), unix.FS_IOC_GETFLAGS)
	if err != nil {
		return err
	}
	if on {
		flags |= flag
	} else {
		flags &^= flag
	}
	return unix.IoctlSetPointerInt(int(f.Fd()), unix.FS_IOC_SETFLAGS, int(flags))
}
