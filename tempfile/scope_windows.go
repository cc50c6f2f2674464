package tempfile

import (
	"io/fs"
	"os"
)

// On Windows the makers go through the scope's os.Root.

func (s *Scope) createIn(name, _ string) (*os.File, error) {
	return s.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
}

func (s *Scope) mkdirIn(name, _ string) error { return s.root.Mkdir(name, 0o700) }

func (s *Scope) freeIn(name, path string) error {
	_, err := s.root.Lstat(name)
	switch {
	case err == nil:
		return &fs.PathError{Op: "name", Path: path, Err: fs.ErrExist}
	case isNotExist(err):
		return nil
	}
	return err
}
