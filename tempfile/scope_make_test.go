package tempfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/magekit/temp/tempfile"
)

func init() {
	// env-child: what TestScopeEnvChild's shell does, for systems with
	// none: a file holding "data\n" and a directory made where the
	// environment says, then their names, TEMP and TMP, one a line.
	helpers["env-child"] = func() int {
		f, err := os.CreateTemp("", "")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		_, err = f.WriteString("data\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		d, derr := os.MkdirTemp("", "")
		if err = errors.Join(err, derr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("%s\n%s\n%s\n%s\n", f.Name(), d, os.Getenv("TEMP"), os.Getenv("TMP"))
		return 0
	}
}

// smScope makes a scope in a private Dir; a Cleanup removes it.
func smScope(t *testing.T) (s *tempfile.Scope, tmp string) {
	t.Helper()
	tmp = privateTmp(t)
	s, err := tempfile.NewScope("make")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Cleanup() })
	return s, tmp
}

// smInside fails unless name is directly inside dir.
func smInside(t *testing.T, name, dir string) {
	t.Helper()
	if filepath.Dir(name) != dir {
		t.Fatalf("%s is not directly inside %s", name, dir)
	}
}

func TestScopeEnv(t *testing.T) {
	s, _ := smScope(t)
	env := s.Env()
	want := map[string]string{"TMPDIR": s.Path(), "TEMP": s.Path(), "TMP": s.Path()}
	if !maps.Equal(env, want) {
		t.Fatalf("Env() = %v, want %v", env, want)
	}
	env["TMPDIR"] = "/elsewhere"
	delete(env, "TMP")
	if again := s.Env(); !maps.Equal(again, want) {
		t.Fatalf("Env() after the caller changed its map = %v, want a fresh %v", again, want)
	}
}

// TestScopeEnvChild: a child process given Env makes its temporary file
// and directory inside the scope (mktemp reads TMPDIR), and Cleanup
// removes them with the scope; nothing lands in the temp directory
// outside it.
func TestScopeEnvChild(t *testing.T) {
	s, tmp := smScope(t)
	var env []string
	for k, v := range s.Env() {
		env = append(env, k+"="+v)
	}
	var cmd *exec.Cmd
	if sh, err := exec.LookPath("sh"); err == nil {
		cmd = exec.Command(sh, "-c", `f=$(mktemp) && d=$(mktemp -d) && echo data > "$f" && echo "$f" && echo "$d" && echo "$TEMP" && echo "$TMP"`)
		cmd.Env = append(os.Environ(), env...) // later entries win
	} else {
		// No shell (Windows): a Go child does the same with os.CreateTemp
		// and os.MkdirTemp, which take the directory from TMP or TEMP there.
		cmd = exec.Command(os.Args[0])
		cmd.Env = append(append(os.Environ(), env...), helperEnv+"=env-child")
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sh: %v; %s", err, stderr.Bytes())
	}
	lines := strings.Fields(string(out))
	if len(lines) != 4 {
		t.Fatalf("child printed %q", out)
	}
	file, dir := lines[0], lines[1]
	smInside(t, file, s.Path())
	smInside(t, dir, s.Path())
	if lines[2] != s.Path() || lines[3] != s.Path() {
		t.Errorf("the child saw TEMP=%q TMP=%q, want %q", lines[2], lines[3], s.Path())
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "data\n" {
		t.Fatalf("the child's file holds %q, %v", b, err)
	}
	// Only the per-user parent of scopes is in the temp directory.
	if names := entries(t, tmp); len(names) != 1 || !strings.HasPrefix(names[0], "mgtemp-") {
		t.Errorf("the temp directory outside the scope holds %q", names)
	}
	if err := s.Cleanup(); err != nil {
		t.Fatalf("Cleanup: %v", err)
	}
	for _, p := range []string{file, dir, s.Path()} {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s survived Cleanup: %v", p, err)
		}
	}
}

func TestScopeCreateTemp(t *testing.T) {
	defer umask(umask(0))
	s, _ := smScope(t)
	cases := []struct {
		name       string
		o          tempfile.Options
		prefix     string
		mode       fs.FileMode
		append, wo bool
	}{
		{"zero", tempfile.Options{}, "tmp", 0o600, false, false},
		{"prefix and suffix", tempfile.Options{Prefix: "multipass-", Suffix: "-cloud-init.yaml"}, "multipass-", 0o600, false, false},
		{"perm", tempfile.Options{Perm: 0o640}, "tmp", 0o640, false, false},
		{"append", tempfile.Options{Flag: os.O_APPEND}, "tmp", 0o600, true, false},
		{"write-only", tempfile.Options{Flag: os.O_WRONLY}, "tmp", 0o600, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := s.CreateTemp(c.o)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			smInside(t, f.Name(), s.Path())
			base := filepath.Base(f.Name())
			if !strings.HasPrefix(base, c.prefix) || !strings.HasSuffix(base, c.o.Suffix) ||
				len(base) != len(c.prefix)+20+len(c.o.Suffix) {
				t.Errorf("name %q, want %s<20 digits>%s", base, c.prefix, c.o.Suffix)
			}
			fi, err := os.Lstat(f.Name())
			if err != nil {
				t.Fatal(err)
			}
			if !fi.Mode().IsRegular() || fi.Mode().Perm() != shown(c.mode) {
				t.Errorf("mode %v, want a regular file %v", fi.Mode(), c.mode)
			}
			if _, err := f.WriteString("ab"); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Seek(0, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString("cd"); err != nil {
				t.Fatal(err)
			}
			want := "cd"
			if c.append {
				want = "abcd"
			}
			if b, err := os.ReadFile(f.Name()); err != nil || string(b) != want {
				t.Errorf("content %q, %v; want %q", b, err, want)
			}
			_, err = f.Read(make([]byte, 1))
			if c.wo != (err != nil && !errors.Is(err, io.EOF)) {
				t.Errorf("read: %v (write-only %v)", err, c.wo)
			}
		})
	}
	var made []string
	for _, e := range entries(t, s.Path()) {
		made = append(made, filepath.Join(s.Path(), e))
	}
	if len(made) != len(cases) {
		t.Fatalf("scope holds %d entries, want %d", len(made), len(cases))
	}
	if err := s.Cleanup(); err != nil {
		t.Fatalf("Cleanup: %v", err)
	}
	if _, err := os.Lstat(s.Path()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("scope survived Cleanup: %v", err)
	}
}

func TestScopeMkdirTemp(t *testing.T) {
	defer umask(umask(0))
	s, _ := smScope(t)
	d, err := s.MkdirTemp(tempfile.Options{Prefix: "go-build", Suffix: ".d", Perm: 0o750})
	if err != nil {
		t.Fatal(err)
	}
	smInside(t, d, s.Path())
	if base := filepath.Base(d); !strings.HasPrefix(base, "go-build") || !strings.HasSuffix(base, ".d") {
		t.Errorf("name %q", base)
	}
	fi, err := os.Lstat(d)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.IsDir() || fi.Mode().Perm() != shown(fs.ModeDir|0o750).Perm() {
		t.Errorf("mode %v, want a directory 0750", fi.Mode())
	}
	d0, err := s.MkdirTemp(tempfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(d0); err != nil || fi.Mode().Perm() != shown(fs.ModeDir|0o700).Perm() || !strings.HasPrefix(filepath.Base(d0), "tmp") {
		t.Errorf("zero Options made %s: %v, %v; want tmp<digits>, 0700", d0, fi, err)
	}
	if err := os.WriteFile(filepath.Join(d, "inner"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Cleanup(); err != nil {
		t.Fatalf("Cleanup: %v", err)
	}
	if _, err := os.Lstat(s.Path()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("scope survived Cleanup: %v", err)
	}
}

// smMakers are the Options makers of a scope, reduced to what they made.
var smMakers = []struct {
	name string
	make func(s *tempfile.Scope, o tempfile.Options) (string, bool, error)
}{
	{"CreateTemp", func(s *tempfile.Scope, o tempfile.Options) (string, bool, error) {
		f, err := s.CreateTemp(o)
		if f != nil {
			defer f.Close()
			return f.Name(), true, err
		}
		return "", false, err
	}},
	{"MkdirTemp", func(s *tempfile.Scope, o tempfile.Options) (string, bool, error) {
		d, err := s.MkdirTemp(o)
		return d, d != "", err
	}},
}

// TestScopeMakersRefuse: Options.Dir set (even to the scope itself), every
// bad input the package-level creators refuse, and use after Cleanup, all
// fail before anything is made, with nothing returned beside the error.
func TestScopeMakersRefuse(t *testing.T) {
	for _, m := range smMakers {
		t.Run(m.name, func(t *testing.T) {
			s, tmp := smScope(t)
			bad := []tempfile.Options{
				{Dir: s.Path()},
				{Dir: tmp},
				{Dir: "."},
			}
			for _, b := range badOptions {
				o := b.o
				if o.Dir != "" {
					continue // the Dir cases are above
				}
				bad = append(bad, o)
			}
			for _, o := range bad {
				made, got, err := m.make(s, o)
				if !isInvalid(err) || got {
					t.Errorf("%+v: (%q, %v), want nothing and fs.ErrInvalid", o, made, err)
				}
				var pe *fs.PathError
				if !errors.As(err, &pe) {
					t.Errorf("%+v: error %T is not a *fs.PathError", o, err)
				}
			}
			mustEmpty(t, s.Path())
			// A file system error: the scope's directory gone under it.
			t.Run("removed scope", func(t *testing.T) {
				skipUnderWine(t, "a directory removed while a handle holds it stays, delete pending, and Wine still creates in it")
				if err := os.Remove(s.Path()); err != nil {
					t.Fatal(err)
				}
				if made, got, err := m.make(s, tempfile.Options{}); !isNotExist(err) || got {
					t.Errorf("in a removed scope: (%q, %v), want nothing and fs.ErrNotExist", made, err)
				}
			})
			s.Cleanup()
			if made, got, err := m.make(s, tempfile.Options{}); !errors.Is(err, fs.ErrClosed) || got {
				t.Errorf("after Cleanup: (%q, %v), want nothing and fs.ErrClosed", made, err)
			}
		})
	}
}

// TestScopeMakersRaceCleanup: makers running while Cleanup runs either
// make something that Cleanup then removes, or fail with fs.ErrClosed;
// nothing is left behind.
func TestScopeMakersRaceCleanup(t *testing.T) {
	for _, m := range smMakers {
		t.Run(m.name, func(t *testing.T) {
			s, tmp := smScope(t)
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make(chan error, 8*50)
			for range 8 {
				wg.Go(func() {
					<-start
					for range 50 {
						if _, _, err := m.make(s, tempfile.Options{Prefix: "race-"}); err != nil && !errors.Is(err, fs.ErrClosed) {
							errs <- err
						}
					}
				})
			}
			close(start)
			if err := s.Cleanup(); err != nil {
				t.Errorf("Cleanup: %v", err)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("maker during Cleanup: %v", err)
			}
			if _, err := os.Lstat(s.Path()); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("scope survived Cleanup: %v", err)
			}
			mustEmpty(t, userParent(tmp))
		})
	}
}
