package tempfile_test

import (
	"os"

	"golang.org/x/sys/unix"
)

// setImmutable sets or clears the immutable attribute (chattr +i), which
// stops even root from unlinking the file.
func setImmutable(path string, on bool) error {
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
		flags |= fsImmutableFL
	} else {
		flags &^= fsImmutableFL
	}
	return unix.IoctlSetPointerInt(int(f.Fd()), unix.FS_IOC_SETFLAGS, int(flags))
}

// fsImmutableFL is FS_IMMUTABLE_FL from linux/fs.h, which x/sys lacks.
const fsImmutableFL = 0x00000010
