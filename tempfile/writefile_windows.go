package tempfile

import (
	"io/fs"
	"os"
)

// syncDir is a no-op on Windows, where a directory cannot be opened for
// FlushFileBuffers by ordinary means and NTFS journals the rename.
func syncDir(string) error { return nil }

// installWritten renames the written temporary file f (identity fi) from
// tmp over path. Windows cannot rename a file that is open without
// FILE_SHARE_DELETE, so f is closed first and the move goes by name, with
// the checks of installByName. On failure the temporary file is removed,
// if its name still is that file.
func installWritten(f *os.File, fi fs.FileInfo, tmp, path string) error {
	if err := f.Close(); err != nil {
		return joinErrs(err, removeOurs(tmp, fi))
	}
	if err := installByName(fi, tmp, path, false); err != nil {
		return joinErrs(err, removeOurs(tmp, fi))
	}
	return nil
}
