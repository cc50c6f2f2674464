package tempfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkMakeName is the cost of a name alone, without any syscall.
func BenchmarkMakeName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = makeName("/tmp", "@1234.", ".txt")
	}
}

// nextNames returns the next n names makeName will produce in dir, and
// rewinds the counter so that they are produced again.
func nextNames(dir, prefix, suffix string, n int) []string {
	saved := nameCounter.Load()
	names := make([]string, n)
	for i := range names {
		names[i] = makeName(dir, prefix, suffix).s
	}
	nameCounter.Store(saved)
	return names
}

// TestCollisionsRetried plants a file, a symbolic link and a directory at
// the very next names: every create skips them, leaves them alone, and
// makes a fresh name. (Tests run one at a time: nothing else draws names.)
func TestCollisionsRetried(t *testing.T) {
	dir := t.TempDir()
	SetDir(dir)
	defer SetDir("")
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("victim"), 0o600); err != nil {
		t.Fatal(err)
	}
	plant := func(names []string) {
		t.Helper()
		for i, n := range names {
			var err error
			switch i % 3 {
			case 0:
				err = os.WriteFile(n, []byte("planted"), 0o600)
			case 1:
				err = os.Symlink(victim, n)
				if _, lerr := os.Lstat(n); err == nil && lerr != nil {
					// Wine's CreateSymbolicLink reports success and makes
					// nothing: plant a file there instead.
					err = os.WriteFile(n, []byte("planted"), 0o600)
				}
			case 2:
				err = os.Mkdir(n, 0o700)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	makers := map[string]func() (string, error){
		"CreateTemp": func() (string, error) {
			f, err := CreateTemp(Options{})
			if err != nil {
				return "", err
			}
			f.Close()
			return f.Name(), nil
		},
		"MkdirTemp": func() (string, error) { return MkdirTemp(Options{}) },
		"Mktemp":    func() (string, error) { return Mktemp("") },
	}
	for name, mk := range makers {
		planted := nextNames(dir, Prefix(), "", 3)
		plant(planted)
		got, err := mk()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, p := range planted {
			if got == p {
				t.Fatalf("%s returned the planted name %s", name, p)
			}
		}
		if b, _ := os.ReadFile(victim); string(b) != "victim" {
			t.Fatalf("%s wrote through a planted link", name)
		}
		if b, _ := os.ReadFile(planted[0]); string(b) != "planted" {
			t.Fatalf("%s touched a planted file", name)
		}
	}
	s, err := NewScope("collide")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Cleanup()
	planted := nextNames(s.Path(), scopePrefix, "", 3)
	plant(planted)
	f, err := s.File("")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if f.Name() == planted[0] || f.Name() == planted[1] || f.Name() == planted[2] {
		t.Fatalf("Scope.File returned a planted name %s", f.Name())
	}
}

// TestAllNamesTaken: when every name a create would try is taken, it
// gives up with fs.ErrExist instead of looping forever.
func TestAllNamesTaken(t *testing.T) {
	dir := t.TempDir()
	for _, n := range nextNames(dir, "p", "", maxTries) {
		if err := os.Mkdir(n, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	f, err := CreateTemp(Options{Dir: dir, Prefix: "p"})
	if err == nil {
		f.Close()
		t.Fatal("CreateTemp succeeded with every name taken")
	}
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrExist) || !errors.As(err, &pe) {
		t.Fatalf("CreateTemp: %v, want a *fs.PathError matching fs.ErrExist", err)
	}
}

// TestNewScopeFailsAfterItsLock: when the scope's directory cannot be made
// (something already has its name), NewScope fails with fs.ErrExist and
// takes its lock file back with it: nothing of the attempt remains.
func TestNewScopeFailsAfterItsLock(t *testing.T) {
	dir := t.TempDir()
	SetDir(dir)
	defer SetDir("")
	first, err := NewScope("x") // makes the per-user parent
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Cleanup(); err != nil {
		t.Fatal(err)
	}
	parent := filepath.Join(dir, parentName())
	id := nextNames("", labelSafe("x")+"."+strconv.Itoa(pid)+".", "", 1)[0]
	if err := os.Mkdir(filepath.Join(parent, id), 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := NewScope("x")
	if !errors.Is(err, fs.ErrExist) {
		if err == nil {
			s.Cleanup()
		}
		t.Fatalf("NewScope with its directory's name taken = %v, want fs.ErrExist", err)
	}
	es, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Name() != id {
		t.Fatalf("the parent holds %v after the failed NewScope, want only the planted %s", es, id)
	}
}
