package tempfile

import (
	"io/fs"
	"os"
)

func accessMode(flag int) int {
	if flag&(os.O_RDONLY|os.O_WRONLY|os.O_RDWR) == os.O_WRONLY {
		return os.O_WRONLY
	}
	return os.O_RDWR
}

func openExcl(name genName, flag int, perm fs.FileMode) (*os.File, error) {
	flags := flag&^(os.O_RDONLY|os.O_WRONLY|os.O_RDWR) | accessMode(flag) | os.O_CREATE | os.O_EXCL
	return os.OpenFile(name.s, flags, perm)
}
