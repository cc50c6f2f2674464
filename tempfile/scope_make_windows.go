package tempfile

import (
	"io/fs"
	"os"
)

// createWith creates name in the scope through its os.Root, with the
// caller's open flags and mode.
func (s *Scope) createWith(name genName, _ string, flag int, perm fs.FileMode) (*os.File, error) {
	flags := flag&^(os.O_RDONLY|os.O_WRONLY|os.O_RDWR) | accessMode(flag) | os.O_CREATE | os.O_EXCL
	return s.root.OpenFile(name.s, flags, perm)
}

// mkdirWith creates the directory name in the scope with mode perm.
func (s *Scope) mkdirWith(name genName, _ string, perm fs.FileMode) error {
	return s.root.Mkdir(name.s, perm)
}
