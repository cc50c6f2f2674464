// macOS: the Unix path without Linux's fast paths (sys_portable_unix.go),
// renaming without replacing through renamex_np.

package tempfile

import (
	"os"

	"golang.org/x/sys/unix"
)

func renameNoReplace(oldpath, newpath string) error {
	err := unix.RenamexNp(oldpath, newpath, unix.RENAME_EXCL)
	switch err {
	case nil:
		return nil
	case unix.ENOTSUP, unix.EINVAL:
		return linkNoReplace(oldpath, newpath)
	}
	return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
}
