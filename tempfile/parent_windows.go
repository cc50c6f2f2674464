package tempfile

import (
	"io/fs"
	"os"
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
