//go:build unix

package tempfile

import (
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"syscall"
)

func parentName() string { return "mgtemp-" + strconv.Itoa(os.Geteuid()) }

// checkPrivate refuses a directory not owned by us or open to others.
func checkPrivate(path string, fi fs.FileInfo) error {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return unsafeDir(path, fmt.Sprintf("is owned by uid %d, not by uid %d", st.Uid, os.Geteuid()))
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return unsafeDir(path, fmt.Sprintf("has mode %#o, open to group or others (want 0700)", perm))
	}
	return nil
}
