package tempfile

import (
	"io/fs"
	"os"
	"strings"
)

func parentName() string {
	u := os.Getenv("USERNAME")
	if u == "" {
		u = "user"
	}
	return "mgtemp-" + labelSafe(u)
}

// checkPrivate accepts the directory: on Windows the per-user temp
// directory is already private through its ACL, which mode bits do not show.
func checkPrivate(string, fs.FileInfo) error { return nil }

// forbiddenInName reports a byte Windows does not allow in a file name
// (a control character or one of <>:"|?*), which a prefix or suffix may
// not hold: ':' would even name an alternate data stream of another file.
// A scope's label (checked as "name") is made safe instead (labelSafe).
func forbiddenInName(b byte) bool { return b < ' ' || strings.IndexByte(`<>:"|?*`, b) >= 0 }

// forbiddenInNames says what a bad prefix or suffix holds.
const forbiddenInNames = `a path separator, NUL or a character Windows forbids in names (<>:"|?* or a control character)`
