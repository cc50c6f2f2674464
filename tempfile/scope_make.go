package tempfile

import (
	"fmt"
	"io/fs"
	"os"
)

// Env returns the environment that points a child process's temporary
// files into the scope: TMPDIR (Unix), TEMP and TMP (Windows, and many
// tools elsewhere) all set to [Scope.Path]. Pass it to mage's sh.RunWith,
// or append it to os.Environ() for an exec.Cmd's Env. What the child
// leaves in its temporary directory (go build's work directories, a
// compiler's scratch files) then goes with the scope: at Cleanup, or after
// a kill -9 at the next [Sweep]. Each call returns a fresh map, the
// caller's to change.
func (s *Scope) Env() map[string]string {
	return map[string]string{"TMPDIR": s.path, "TEMP": s.path, "TMP": s.path}
}

// CreateTemp creates a new file inside the scope, as the package-level
// [CreateTemp] does in a directory: named o.Prefix + random digits +
// o.Suffix, mode o.Perm (0600 if 0), opened with o.Flag added, and
// O_EXCL|O_NOFOLLOW|O_CLOEXEC always. An empty o.Prefix means "tmp", as for
// [Scope.File]. o.Dir must be "": the scope is the directory (anything
// else is refused with an error matching fs.ErrInvalid, as is every input
// CreateTemp refuses). Cleanup removes the file; closing it is the
// caller's job. After Cleanup it fails with fs.ErrClosed.
func (s *Scope) CreateTemp(o Options) (*os.File, error) {
	const op = "createtemp"
	r, err := s.resolveIn(op, o, 0o600)
	if err != nil {
		return nil, err
	}
	s.mu.RLock() // Cleanup waits until the file is made, and remembered
	defer s.mu.RUnlock()
	if s.done {
		return nil, s.closedErr(op)
	}
	return create(op, r, func(name genName) (*os.File, error) {
		tail := name.tail(len(s.path) + 1)
		f, err := s.createWith(tail, name.s, r.flag, r.perm)
		if err != nil {
			return nil, err
		}
		s.remember(tail)
		return f, nil
	})
}

// MkdirTemp creates a new directory inside the scope, as the
// package-level [MkdirTemp] does in a directory: named o.Prefix + random
// digits + o.Suffix ("tmp" for an empty prefix, as for [Scope.Mkdir]),
// mode o.Perm (0700 if 0). It returns the directory's absolute path, or ""
// with an error. o.Dir must be "", and bad input is refused as by
// [Scope.CreateTemp]; after Cleanup it fails with fs.ErrClosed.
func (s *Scope) MkdirTemp(o Options) (string, error) {
	const op = "mkdirtemp"
	r, err := s.resolveIn(op, o, 0o700)
	if err != nil {
		return "", err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.done {
		return "", s.closedErr(op)
	}
	return create(op, r, func(name genName) (string, error) {
		if err := s.mkdirWith(name.tail(len(s.path)+1), name.s, r.perm); err != nil {
			return "", err
		}
		return name.s, nil
	})
}

// resolveIn checks o for a maker inside the scope: o.Dir must be empty,
// and the rest is checked and defaulted as everywhere, in the scope's
// directory and with the scope's prefix.
func (s *Scope) resolveIn(op string, o Options, defPerm fs.FileMode) (resolved, error) {
	if o.Dir != "" {
		return resolved{}, &fs.PathError{Op: op, Path: o.Dir,
			Err: fmt.Errorf("%w: Options.Dir must be empty: a scope makes things in its own directory", fs.ErrInvalid)}
	}
	o.Dir = s.path
	if o.Prefix == "" {
		o.Prefix = scopePrefix
	}
	return o.resolve(op, defPerm)
}
