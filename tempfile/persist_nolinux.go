//go:build !linux || tempfile_portable

package tempfile

import (
	"io/fs"
	"os"
)

// install moves the temporary file f, whose identity is fi, from old to
// new. Without Linux's /proc/self/fd and RENAME_EXCHANGE the file can only
// be moved by name: see installByName for what that leaves open.
func install(_ *os.File, fi fs.FileInfo, old, new string, noClobber bool) error {
	return installByName(fi, old, new, noClobber)
}

// installsByFd: here install works by name (see installByName).
const installsByFd = false
