package tempfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// TestNewScopeIn (issue 13 item 2): a scope under a directory of the
// caller's choice, dir/mgtemp-<uid>, with the same checks and fallback,
// found by Sweep(dir) and Scopes(dir) and by them only; a relative dir
// gives absolute paths; a missing or bad dir makes nothing.
func TestNewScopeIn(t *testing.T) {
	tmp := privateTmp(t)
	dir := t.TempDir()
	s, err := tempfile.NewScopeIn(dir, "release")
	mustDo(t, err)
	defer s.Cleanup()
	if filepath.Dir(s.Path()) != userParent(dir) {
		t.Fatalf("NewScopeIn(%s) made %s, not in %s", dir, s.Path(), userParent(dir))
	}
	f, err := s.File(".tar")
	mustDo(t, err)
	mustDo(t, f.Close())
	if device(t, dir) != device(t, f.Name()) {
		t.Fatal("the scope's file is not on dir's file system")
	}

	// Another process's scope in dir, killed: Sweep(dir) finds it, and
	// Sweep("") does not look there.
	dead := startHolder(t, dir)
	mustDo(t, dead.cmd.Process.Kill())
	dead.cmd.Wait()
	if list, err := tempfile.Scopes(""); err != nil || len(list) != 0 {
		t.Fatalf("Scopes of Dir() = %+v, %v; want none", list, err)
	}
	if removed, err := tempfile.Sweep(""); err != nil || len(removed) != 0 {
		t.Fatalf("Sweep of Dir() = %q, %v; want nothing", removed, err)
	}
	list, err := tempfile.Scopes(dir)
	mustDo(t, err)
	if len(list) != 2 || list[0].Path != dead.path && list[1].Path != dead.path {
		t.Fatalf("Scopes(dir) = %+v, want the live and the dead scope", list)
	}
	if removed, err := tempfile.Sweep(dir); err != nil || !slices.Equal(removed, []string{dead.path}) {
		t.Fatalf("Sweep(dir) = %q, %v; want %s", removed, err, dead.path)
	}
	mustDo(t, s.Cleanup())
	mustEmpty(t, userParent(dir))
	mustEmpty(t, tmp)

	// "" is Dir(), as for NewScope.
	s, err = tempfile.NewScopeIn("", "default")
	mustDo(t, err)
	if filepath.Dir(s.Path()) != userParent(tmp) {
		t.Fatalf("NewScopeIn(\"\") made %s, not in %s", s.Path(), userParent(tmp))
	}
	mustDo(t, s.Cleanup())

	// Relative: the paths are absolute all the same.
	t.Chdir(dir)
	mustDo(t, os.Mkdir("rel", 0o700))
	s, err = tempfile.NewScopeIn("rel", "relative")
	mustDo(t, err)
	if want := userParent(filepath.Join(dir, "rel")); filepath.Dir(s.Path()) != want {
		t.Fatalf("NewScopeIn(\"rel\") made %s, want it in %s", s.Path(), want)
	}
	if list, err := tempfile.Scopes("rel"); err != nil || len(list) != 1 || list[0].Path != s.Path() {
		t.Fatalf("Scopes(\"rel\") = %+v, %v", list, err)
	}
	mustDo(t, s.Cleanup())

	// A refused parent in dir: the fallback is in dir too.
	t.Run("refused parent", func(t *testing.T) {
		skipOnWindows(t, "Windows shows no modes: a parent is private through its ACL, so none is refused for its mode")
		refused := filepath.Join(dir, "refused")
		mustDo(t, os.Mkdir(refused, 0o700))
		mustDo(t, mkdirMode(userParent(refused), 0o777))
		s, err := tempfile.NewScopeIn(refused, "fallback")
		mustDo(t, err)
		checkFallback(t, refused, filepath.Dir(s.Path()))
		mustDo(t, s.Cleanup())
	})

	// Missing, or not a name: an error, and nothing made.
	missing := filepath.Join(dir, "missing")
	if _, err := tempfile.NewScopeIn(missing, "x"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("NewScopeIn in a missing dir: %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Lstat(missing); !os.IsNotExist(err) {
		t.Fatalf("NewScopeIn made the missing dir: %v", err)
	}
	if _, err := tempfile.NewScopeIn(dir+"\x00", "x"); !isInvalid(err) {
		t.Fatalf("NewScopeIn in a dir with NUL: %v, want fs.ErrInvalid", err)
	}
}
