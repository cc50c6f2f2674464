//go:build unix

package tempfile

import (
	"io/fs"
	"os"
)

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// installWritten renames the written temporary file f (identity fi) from
// tmp over path, binding the descriptor where the platform allows (see
// install), and closes it. On failure the temporary file is removed, if
// its name still is that file.
func installWritten(f *os.File, fi fs.FileInfo, tmp, path string) error {
	err := install(f, fi, tmp, path, false)
	if err != nil {
		err = joinErrs(err, removeOurs(tmp, fi))
	}
	return joinErrs(err, f.Close())
}
