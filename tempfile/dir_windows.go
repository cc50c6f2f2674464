package tempfile

import (
	"os"
	"path/filepath"
)

func platformDirs() []string {
	var dirs []string
	if home := os.Getenv("LOCALAPPDATA"); home != "" {
		dirs = append(dirs, filepath.Join(home, "Temp"))
	}
	if root := os.Getenv("SYSTEMROOT"); root != "" {
		dirs = append(dirs, filepath.Join(root, "Temp"))
	}
	return append(dirs, `c:\temp`, `c:\tmp`, `\temp`, `\tmp`)
}
