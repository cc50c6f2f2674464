//go:build unix

package tempfile

import "os"

// linkNoReplace moves oldpath to newpath without ever replacing newpath:
// link(2) fails with EEXIST if newpath exists, atomically. Only then is
// the old name removed; if that fails, the new link is removed again so
// the file is left as it was.
func linkNoReplace(oldpath, newpath string) error {
	if err := os.Link(oldpath, newpath); err != nil {
		return err
	}
	if err := os.Remove(oldpath); err != nil {
		os.Remove(newpath)
		return err
	}
	return nil
}
