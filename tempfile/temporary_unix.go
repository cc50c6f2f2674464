//go:build unix

package tempfile

import "os"

// createUnlinked creates a named file and removes its name at once, so
// only the returned descriptor reaches it. If the unlink fails the file is
// closed and the error returned: a file that outlives its process is not
// what was asked for.
func createUnlinked(r resolved) (*os.File, error) {
	f, err := createFile("temporaryfile", r)
	if err != nil {
		return nil, err
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
