//go:build unix

package tempfile_test

import (
	"os"

	"golang.org/x/sys/unix"
)

func fcntlGetfd(f *os.File) (int, error) {
	return unix.FcntlInt(f.Fd(), unix.F_GETFD, 0)
}
