//go:build unix

package tempfile

import (
	"os"
	"syscall"
)

// reopenNoFollow opens name without following a symbolic link at it.
func reopenNoFollow(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDWR|syscall.O_NOFOLLOW, 0)
}
