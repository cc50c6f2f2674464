package tempfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteFile writes data to path atomically and durably: readers see the
// old content or the new, never a mix, and after it returns nil the new
// content survives a crash. It writes a temporary file in path's
// directory (a rename cannot cross file systems), fsyncs it, renames it
// over path and fsyncs the directory, because the rename itself lives in
// the directory and is lost in a crash until the directory is synced.
//
// The file gets mode perm (before the umask), as with os.WriteFile for a
// new file; only permission bits are allowed (setuid, setgid and sticky
// are refused with fs.ErrInvalid, as a temporary file should not carry them). If path is a symbolic link, the link itself is replaced.
// On any error before the rename, path is untouched and no temporary file
// remains. Only the file WriteFile wrote is ever installed: if its
// temporary name was replaced meanwhile (by anyone with write access to
// the directory), the error matches [ErrReplaced], path is untouched where
// the platform allows (see [File.Persist]) and the stranger is left alone. An error from the final directory fsync means the new content
// is in place but may not survive a crash.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	if strings.IndexByte(path, 0) >= 0 || path == "" {
		return &fs.PathError{Op: "writefile", Path: path, Err: fmt.Errorf("%w: empty name or NUL in name", fs.ErrInvalid)}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if len(base) > 64 { // leave room for the digits within NAME_MAX
		base = base[:64]
	}
	if perm&^fs.ModePerm != 0 {
		return &fs.PathError{Op: "writefile", Path: path, Err: fmt.Errorf("%w: mode %v has bits other than permission bits", fs.ErrInvalid, perm)}
	}
	// perm is the default, so that 0 means 0, as for os.WriteFile.
	r, err := Options{Dir: dir, Prefix: "." + base + ".", Suffix: ".tmp"}.resolve("writefile", perm)
	if err != nil {
		return err
	}
	f, err := createFile("writefile", r)
	if err != nil {
		return err
	}
	tmp := f.Name()
	fi, err := writeSync(f, data)
	if err == nil && hookWriteFile != nil {
		hookWriteFile(tmp)
	}
	if err == nil {
		err = installWritten(f, fi, tmp, path)
	} else {
		err = joinErrs(err, f.Close(), removeOurs(tmp, fi))
	}
	if err != nil {
		return err
	}
	return syncDir(dir)
}

// writeSync writes data to f and syncs it: the data must be on disk before
// the rename makes it visible. It returns f's identity, for the checks
// before the rename and before any removal.
func writeSync(f *os.File, data []byte) (fs.FileInfo, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		return fi, err
	}
	return fi, f.Sync()
}

// removeOurs removes the temporary file on an error path, if its name
// still is that file (fi; nil when unknown): a stranger put at the name is
// left alone, as File.Close leaves it.
func removeOurs(name string, fi fs.FileInfo) error {
	if fi != nil {
		if same, err := namedAs(name, fi); err != nil || !same {
			return nil
		}
	}
	return removeQuiet(name)
}

// removeQuiet removes a temporary file on an error path; a failure to do
// so is reported alongside the first error, never instead of it.
func removeQuiet(name string) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
