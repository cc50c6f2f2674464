package tempfile

import (
	"io/fs"
	"os"
)

// On Windows the makers go through the scope's os.Root.

func (s *Scope) createIn(name genName, _ string) (*os.File, error) {
	return s.root.OpenFile(name.s, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
}

// Here os.Root.RemoveAll does the whole job: no names are remembered.
func (s *Scope) remember(genName) {}
func (s *Scope) removeMade() bool { return false }

func (s *Scope) mkdirIn(name genName, _ string) error { return s.root.Mkdir(name.s, 0o700) }

func (s *Scope) freeIn(name genName, path string) error {
	_, err := s.root.Lstat(name.s)
	switch {
	case err == nil:
		return &fs.PathError{Op: "name", Path: path, Err: fs.ErrExist}
	case isNotExist(err):
		return nil
	}
	return err
}
