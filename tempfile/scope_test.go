package tempfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/go-multierror"

	"github.com/magekit/temp/tempfile"
)

func TestScopeLayout(t *testing.T) {
	defer umask(umask(0))
	tmp := privateTmp(t)
	s, err := tempfile.NewScope("docker:push")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Cleanup()
	parent := userParent(tmp)
	if filepath.Dir(s.Path()) != parent {
		t.Fatalf("scope %s not in the per-user parent %s", s.Path(), parent)
	}
	base := filepath.Base(s.Path())
	// On disk no ':', which would break PATH-like lists (see TestScopeLabels).
	if !strings.HasPrefix(base, "docker_push."+strconv.Itoa(os.Getpid())+".") {
		t.Fatalf("scope name %q does not carry the label and pid", base)
	}
	for _, c := range []struct {
		path string
		mode fs.FileMode
	}{{parent, fs.ModeDir | 0o700}, {s.Path(), fs.ModeDir | 0o700}, {s.Path() + ".lock", 0o600}} {
		fi, err := os.Lstat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		checkPrivate(t, c.path, fi, c.mode)
	}
	if !lockHeld(t, s.Path()+".lock") {
		t.Fatal("a live scope does not hold its lock")
	}

	f, err := s.File(".txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := s.Mkdir(".d")
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Name(".tar.gz")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, suffix string
		mode         fs.FileMode // 0: must not exist
	}{{f.Name(), ".txt", 0o600}, {d, ".d", fs.ModeDir | 0o700}, {n, ".tar.gz", 0}} {
		if filepath.Dir(c.path) != s.Path() || !strings.HasSuffix(c.path, c.suffix) {
			t.Errorf("%s: want a name in %s ending in %s", c.path, s.Path(), c.suffix)
		}
		fi, err := os.Lstat(c.path)
		switch {
		case c.mode == 0 && !os.IsNotExist(err):
			t.Errorf("Name returned %s, which exists", c.path)
		case c.mode != 0 && err != nil:
			t.Error(err)
		case c.mode != 0 && fi.Mode()&(fs.ModeType|fs.ModePerm) != shown(c.mode):
			t.Errorf("%s: mode %v, want %v", c.path, fi.Mode(), c.mode)
		}
	}
}

func TestScopeBadInput(t *testing.T) {
	tmp := privateTmp(t)
	for _, bad := range []string{"a/b", "/", "x\x00", strings.Repeat("n", 230)} {
		if s, err := tempfile.NewScope(bad); !isInvalid(err) {
			if s != nil {
				s.Cleanup()
			}
			t.Errorf("NewScope(%q): %v, want fs.ErrInvalid", bad, err)
		}
	}
	mustEmpty(t, tmp) // not even the parent was made
	s, err := tempfile.NewScope("bad")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Cleanup()
	makers := map[string]func(string) error{
		"Name":  func(x string) error { _, err := s.Name(x); return err },
		"Mkdir": func(x string) error { _, err := s.Mkdir(x); return err },
		"File": func(x string) error {
			f, err := s.File(x)
			if f != nil {
				f.Close()
			}
			return err
		},
	}
	for name, mk := range makers {
		for _, bad := range []string{"/../../x", "a/b", "\x00"} {
			if err := mk(bad); !isInvalid(err) {
				t.Errorf("%s(%q): %v, want fs.ErrInvalid", name, bad, err)
			}
		}
	}
	mustEmpty(t, s.Path())
}

// TestScopeCleanup: everything goes, read-only or not, links are removed
// and never followed out, and a second Cleanup is a no-op.
func TestScopeCleanup(t *testing.T) {
	tmp := privateTmp(t)
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim")
	if err := os.WriteFile(victim, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := tempfile.NewScope("build")
	if err != nil {
		t.Fatal(err)
	}
	p := s.Path()
	// A tree with every owner mode 0o000-0o700 on its directories and
	// files, nested, plus links out of the scope and a hard link.
	for m := fs.FileMode(0); m <= 0o700; m += 0o100 {
		d := filepath.Join(p, "d"+strconv.Itoa(int(m>>6)))
		mustDo(t, os.MkdirAll(filepath.Join(d, "sub"), 0o700))
		mustDo(t, os.WriteFile(filepath.Join(d, "sub", "f"), []byte("x"), 0o600))
		mustDo(t, os.WriteFile(filepath.Join(d, "f"), []byte("x"), 0o600))
		mustDo(t, os.Chmod(filepath.Join(d, "f"), m))
		mustDo(t, os.Chmod(filepath.Join(d, "sub"), m))
		mustDo(t, os.Chmod(d, m))
	}
	mustDo(t, os.Symlink(outside, filepath.Join(p, "link-to-dir")))
	mustDo(t, os.Symlink(victim, filepath.Join(p, "link-to-file")))
	mustDo(t, os.Link(victim, filepath.Join(p, "hardlink")))
	f, err := s.File("")
	mustDo(t, err)
	defer f.Close() // still open during Cleanup

	if err := s.Cleanup(); err != nil {
		t.Fatalf("Cleanup: %v", err)
	}
	for _, gone := range []string{p, p + ".lock"} {
		if _, err := os.Lstat(gone); !os.IsNotExist(err) {
			t.Errorf("%s survived Cleanup (%v)", gone, err)
		}
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep me" {
		t.Fatalf("the file outside the scope was touched: %q, %v", b, err)
	}
	if names := entries(t, outside); len(names) != 1 {
		t.Fatalf("the directory outside the scope changed: %q", names)
	}
	if err := s.Cleanup(); err != nil {
		t.Fatalf("second Cleanup: %v", err)
	}
	if _, err := s.File(""); !errors.Is(err, fs.ErrClosed) {
		t.Fatalf("File after Cleanup: %v, want fs.ErrClosed", err)
	}
	mustEmpty(t, userParent(tmp))
}

// TestScopeCleanupWhateverBecameOfItsFiles: Cleanup unlinks the files
// File made by name before it reads the directory for the rest. Whatever
// happened to those names since (removed, renamed, replaced by a
// directory or by a link out of the scope), and past the number of names
// a scope remembers, everything inside goes and nothing outside does.
func TestScopeCleanupWhateverBecameOfItsFiles(t *testing.T) {
	tmp := privateTmp(t)
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim")
	mustDo(t, os.WriteFile(victim, []byte("keep me"), 0o600))
	changes := []struct {
		name   string
		change func(t *testing.T, name string)
	}{
		{"left alone", func(*testing.T, string) {}},
		{"removed", func(t *testing.T, name string) { mustDo(t, os.Remove(name)) }},
		{"renamed", func(t *testing.T, name string) { mustDo(t, os.Rename(name, name+".moved")) }},
		{"mode 0", func(t *testing.T, name string) { mustDo(t, os.Chmod(name, 0)) }},
		{"a directory now", func(t *testing.T, name string) {
			mustDo(t, os.Remove(name))
			mustDo(t, os.MkdirAll(filepath.Join(name, "sub"), 0o700))
			mustDo(t, os.WriteFile(filepath.Join(name, "sub", "f"), nil, 0o600))
		}},
		{"a link out now", func(t *testing.T, name string) {
			mustDo(t, os.Remove(name))
			mustDo(t, os.Symlink(victim, name))
		}},
		{"a link to the outside directory now", func(t *testing.T, name string) {
			mustDo(t, os.Remove(name))
			mustDo(t, os.Symlink(outside, name))
		}},
	}
	for _, files := range []int{len(changes), tempfile.MaxMade + 10} {
		s, err := tempfile.NewScope("changes")
		mustDo(t, err)
		for i := range files {
			f, err := s.File(".f")
			mustDo(t, err)
			mustDo(t, f.Close())
			if i < len(changes) {
				changes[i].change(t, f.Name())
			}
		}
		if err := s.Cleanup(); err != nil {
			t.Fatalf("Cleanup after %d files: %v", files, err)
		}
		for _, gone := range []string{s.Path(), s.Path() + ".lock"} {
			if _, err := os.Lstat(gone); !os.IsNotExist(err) {
				t.Errorf("%d files: %s survived Cleanup (%v)", files, gone, err)
			}
		}
		if b, err := os.ReadFile(victim); err != nil || string(b) != "keep me" {
			t.Fatalf("the file outside the scope was touched: %q, %v", b, err)
		}
		if names := entries(t, outside); len(names) != 1 {
			t.Fatalf("the directory outside the scope changed: %q", names)
		}
	}
	mustEmpty(t, userParent(tmp))
}

// TestScopeCleanupLeavesAMovedScope: a scope directory moved away before
// Cleanup (a "save" by hand) is no longer Cleanup's: the files File made
// in it stay, whether its name is left empty or holds a link back to it.
func TestScopeCleanupLeavesAMovedScope(t *testing.T) {
	privateTmp(t)
	for _, at := range []string{"nothing", "a link back", "a stuck directory"} {
		s, err := tempfile.NewScope("moved")
		mustDo(t, err)
		var names []string
		for range 3 {
			f, err := s.File("")
			mustDo(t, err)
			mustDo(t, f.Close())
			names = append(names, filepath.Base(f.Name()))
		}
		saved := filepath.Join(t.TempDir(), "saved")
		mustDo(t, os.Rename(s.Path(), saved))
		var stuck string
		switch at {
		case "a link back":
			mustDo(t, os.Symlink(saved, s.Path()))
		case "a stuck directory":
			// Something os.Root.RemoveAll cannot remove, so that the
			// careful pass runs on what is at the name now.
			mustDo(t, os.Mkdir(s.Path(), 0o700))
			stuck = filepath.Join(s.Path(), "stuck")
			mustDo(t, os.WriteFile(stuck, nil, 0o600))
			if err := setImmutable(stuck, true); err != nil {
				t.Logf("no immutable attribute here (%v): the stuck case is left out", err)
				os.RemoveAll(s.Path())
				stuck = ""
			}
		}
		err = s.Cleanup()
		if stuck != "" {
			mustDo(t, setImmutable(stuck, false))
			if err == nil {
				t.Errorf("%s at the name: Cleanup = nil, want the stuck file's error", at)
			}
		}
		for _, n := range names {
			if _, err := os.Lstat(filepath.Join(saved, n)); err != nil {
				t.Errorf("%s at the name: Cleanup removed %s from the moved scope: %v", at, n, err)
			}
		}
		if at == "a link back" {
			if _, err := os.Lstat(s.Path()); !os.IsNotExist(err) {
				t.Errorf("%s at the name: %s is still there after Cleanup: %v", at, s.Path(), err)
			}
		}
		os.RemoveAll(s.Path())
		os.Remove(s.Path() + ".lock")
	}
}

// TestScopeCleanupReportsEveryFailure makes two files that even root
// cannot unlink (the immutable attribute) and expects both failures in
// the *multierror.Error; once they can go, a second Cleanup finishes.
func TestScopeCleanupReportsEveryFailure(t *testing.T) {
	tmp := privateTmp(t)
	s, err := tempfile.NewScope("fail")
	if err != nil {
		t.Fatal(err)
	}
	var stuck []string
	for _, sub := range []string{"a", "b"} {
		d := filepath.Join(s.Path(), sub)
		mustDo(t, os.Mkdir(d, 0o700))
		f := filepath.Join(d, "stuck")
		mustDo(t, os.WriteFile(f, nil, 0o600))
		if err := setImmutable(f, true); err != nil {
			s.Cleanup()
			t.Skipf("cannot set the immutable attribute here (%v): needs root on ext4", err)
		}
		stuck = append(stuck, f)
	}
	t.Cleanup(func() {
		for _, f := range stuck {
			setImmutable(f, false)
		}
	})
	err = s.Cleanup()
	me, ok := err.(*multierror.Error)
	if !ok {
		t.Fatalf("Cleanup: %v (%T), want a *multierror.Error", err, err)
	}
	found := 0
	for _, e := range me.Errors {
		var pe *fs.PathError
		if !errors.As(e, &pe) {
			t.Errorf("%v (%T) is not a *fs.PathError", e, e)
		}
		for _, f := range stuck {
			if pe != nil && strings.HasSuffix(f, pe.Path) && errors.Is(e, fs.ErrPermission) {
				found++
			}
		}
	}
	if found != len(stuck) {
		t.Fatalf("want a permission error for each of %q, got %v", stuck, me.Errors)
	}
	// The scope is released, lock file left: stale, for a Sweep to finish.
	if lockHeld(t, s.Path()+".lock") {
		t.Fatal("a failed Cleanup kept the lock: the scope could never be swept")
	}
	if err := s.Cleanup(); err != nil {
		t.Fatalf("second Cleanup: %v, want nil (idempotent)", err)
	}
	if removed, err := tempfile.Sweep(tmp); err == nil || len(removed) != 0 {
		t.Fatalf("Sweep with the obstacles still there = %q, %v; want an error and nothing removed", removed, err)
	}
	for _, f := range stuck {
		mustDo(t, setImmutable(f, false))
	}
	removed, err := tempfile.Sweep(tmp)
	if err != nil || !slices.Equal(removed, []string{s.Path()}) {
		t.Fatalf("Sweep after the obstacles went = %q, %v; want the scope", removed, err)
	}
	mustEmpty(t, userParent(tmp))
}

func TestScopeKeep(t *testing.T) {
	tmp := privateTmp(t)
	s, err := tempfile.NewScope("kept")
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.File(".log")
	mustDo(t, err)
	f.Close()
	s.Keep()
	mustDo(t, s.Cleanup())
	if _, err := os.Stat(f.Name()); err != nil {
		t.Fatalf("Cleanup of a kept scope removed its file: %v", err)
	}
	removed, err := tempfile.Sweep(tmp)
	if err != nil || len(removed) != 0 {
		t.Fatalf("Sweep removed %q (%v): a kept scope must never be swept", removed, err)
	}
	if _, err := os.Stat(f.Name()); err != nil {
		t.Fatalf("Sweep touched a kept scope: %v", err)
	}
}

// TestParentFallback (issue 9 item 6): a per-user parent that could be
// another user's trap is refused, and nothing is written into it, but it
// stops nothing: scopes go to one private fallback beside it, where the
// next scope (of this process or another) goes too, and where Scopes and
// Sweep find them.
func TestParentFallback(t *testing.T) {
	cases := []struct {
		name   string
		root   bool // needs root to set up
		create func(parent, elsewhere string) error
	}{
		{"symlink", false, func(p, e string) error { return os.Symlink(e, p) }},
		{"world writable", false, func(p, _ string) error { return mkdirMode(p, 0o777) }},
		{"group readable", false, func(p, _ string) error { return mkdirMode(p, 0o750) }},
		{"a file", false, func(p, _ string) error { return os.WriteFile(p, nil, 0o600) }},
		{"another user's", true, func(p, _ string) error {
			if err := mkdirMode(p, 0o700); err != nil {
				return err
			}
			return os.Chown(p, 65534, 65534)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name != "a file" {
				skipOnWindows(t, "Windows shows no modes, and symbolic links need a privilege there: the per-user temp directory is private through its ACL")
			}
			if c.root && os.Geteuid() != 0 {
				t.Skip("needs root to make a directory another user owns; TestParentFallbackAcrossUsers covers it in CI")
			}
			tmp := privateTmp(t)
			elsewhere := t.TempDir()
			parent := userParent(tmp)
			mustDo(t, c.create(parent, elsewhere))
			before, err := os.Lstat(parent)
			mustDo(t, err)

			s1, err := tempfile.NewScope("one")
			if err != nil {
				t.Fatalf("NewScope with a refused parent: %v", err)
			}
			defer s1.Cleanup()
			fallback := filepath.Dir(s1.Path())
			checkFallback(t, tmp, fallback)
			s2, err := tempfile.NewScope("two")
			mustDo(t, err)
			defer s2.Cleanup()
			if filepath.Dir(s2.Path()) != fallback {
				t.Fatalf("a second scope went to %s, not to the fallback %s", s2.Path(), fallback)
			}
			dead := startHolder(t, tmp)
			if filepath.Dir(dead.path) != fallback {
				t.Fatalf("another process's scope went to %s, not to the fallback %s", dead.path, fallback)
			}
			mustDo(t, dead.cmd.Process.Kill())
			dead.cmd.Wait()

			list, err := tempfile.Scopes(tmp)
			mustDo(t, err)
			var got []string
			for _, s := range list {
				got = append(got, s.Path+map[bool]string{true: " live", false: " stale"}[s.Live])
			}
			want := []string{s1.Path() + " live", s2.Path() + " live", dead.path + " stale"}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("Scopes = %q, want %q", got, want)
			}
			if removed, err := tempfile.Sweep(tmp); err != nil || !slices.Equal(removed, []string{dead.path}) {
				t.Fatalf("Sweep = %q, %v; want the dead scope %s", removed, err, dead.path)
			}
			mustDo(t, s1.Cleanup())
			mustDo(t, s2.Cleanup())
			mustEmpty(t, fallback)

			// The refused parent is as it was, and so is what it points to.
			after, err := os.Lstat(parent)
			mustDo(t, err)
			if after.Mode() != before.Mode() || !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
				t.Fatalf("the refused parent changed: %v -> %v", before, after)
			}
			if after.IsDir() {
				mustEmpty(t, parent)
			}
			mustEmpty(t, elsewhere)
		})
	}
}

// checkFallback fails the test unless path is a private fallback parent
// of this user's scopes in tmp.
func checkFallback(t *testing.T, tmp, path string) {
	t.Helper()
	prefix := userParent(tmp) + "."
	digits, ok := strings.CutPrefix(path, prefix)
	if !ok || len(digits) != 20 || strings.Trim(digits, "0123456789") != "" {
		t.Fatalf("the scope's parent %s is not of the form %s<20 digits>", path, prefix)
	}
	fi, err := os.Lstat(path)
	mustDo(t, err)
	checkPrivate(t, path, fi, fs.ModeDir|0o700)
}
