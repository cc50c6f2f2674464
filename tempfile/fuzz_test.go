package tempfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// FuzzOptions: whatever the prefix and suffix, CreateTemp, MkdirTemp and
// Mktemp either make a name directly inside the directory, starting with
// the prefix and ending with the suffix, or fail with fs.ErrInvalid and
// make nothing. Never a path outside, never a panic.
func FuzzOptions(f *testing.F) {
	for _, seed := range [][2]string{
		{"", ""}, {"p-", ".txt"}, {"..", ".."}, {"../", ""}, {"", "/../../etc/passwd"},
		{"a\x00b", ""}, {"", "\x00"}, {".", "."}, {"\xff\xfe", "é"}, {"", strings.Repeat("x", 300)},
		{`a\b`, `c:d`}, {" ", "\n"},
	} {
		f.Add(seed[0], seed[1])
	}
	parent := f.TempDir()
	f.Fuzz(func(t *testing.T, prefix, suffix string) {
		dir, err := os.MkdirTemp(parent, "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		o := tempfile.Options{Dir: dir, Prefix: prefix, Suffix: suffix}
		check := func(what, name string, err error) {
			t.Helper()
			if err != nil {
				if !errors.Is(err, fs.ErrInvalid) {
					t.Fatalf("%s(%q, %q): %v, want success or fs.ErrInvalid", what, prefix, suffix, err)
				}
				return
			}
			if filepath.Dir(name) != dir {
				t.Fatalf("%s(%q, %q) = %q: not directly inside %s", what, prefix, suffix, name, dir)
			}
			base := filepath.Base(name)
			if (prefix != "" && !strings.HasPrefix(base, prefix)) || !strings.HasSuffix(base, suffix) {
				t.Fatalf("%s(%q, %q) = %q: lost the prefix or suffix", what, prefix, suffix, base)
			}
		}
		fl, err := tempfile.CreateTemp(o)
		if err == nil {
			fl.Close()
			check("CreateTemp", fl.Name(), nil)
		} else {
			check("CreateTemp", "", err)
		}
		d, err := tempfile.MkdirTemp(o)
		check("MkdirTemp", d, err)
		// Both calls see the same input: both made one entry, or neither.
		es, _ := os.ReadDir(dir)
		if want := map[bool]int{true: 0, false: 2}[err != nil]; len(es) != want {
			t.Fatalf("(%q, %q): %d entries, want %d (error: %v)", prefix, suffix, len(es), want, err)
		}
		n, err := tempfile.Mktemp(suffix)
		if err == nil && filepath.Dir(n) != tempfile.Dir() {
			t.Fatalf("Mktemp(%q) = %q outside Dir()", suffix, n)
		}
		if err != nil && !errors.Is(err, fs.ErrInvalid) {
			t.Fatalf("Mktemp(%q): %v", suffix, err)
		}
	})
}

// FuzzScopeName: any scope label and suffix either works inside the scope
// or is fs.ErrInvalid, and a refused label makes nothing.
func FuzzScopeName(f *testing.F) {
	for _, seed := range [][2]string{{"build", ".tar.gz"}, {"docker:push", ""}, {"..", "/.."}, {"a/b", ""}, {"", "\x00"}, {strings.Repeat("l", 240), ""}} {
		f.Add(seed[0], seed[1])
	}
	parent := f.TempDir()
	f.Fuzz(func(t *testing.T, label, suffix string) {
		dir, err := os.MkdirTemp(parent, "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		tempfile.SetDir(dir)
		defer tempfile.SetDir("")
		s, err := tempfile.NewScope(label)
		if err != nil {
			if !errors.Is(err, fs.ErrInvalid) {
				t.Fatalf("NewScope(%q): %v", label, err)
			}
			if es, _ := os.ReadDir(dir); len(es) != 0 {
				t.Fatalf("refused label made %d entries", len(es))
			}
			return
		}
		defer s.Cleanup()
		if filepath.Dir(filepath.Dir(s.Path())) != dir {
			t.Fatalf("scope %s not in %s/mgtemp-<uid>", s.Path(), dir)
		}
		for _, mk := range []func(string) (string, error){s.Name, s.Mkdir, func(x string) (string, error) {
			f, err := s.File(x)
			if err != nil {
				return "", err
			}
			defer f.Close()
			return f.Name(), nil
		}} {
			p, err := mk(suffix)
			if err != nil {
				if !errors.Is(err, fs.ErrInvalid) {
					t.Fatalf("suffix %q: %v", suffix, err)
				}
				continue
			}
			if filepath.Dir(p) != s.Path() || !strings.HasSuffix(p, suffix) {
				t.Fatalf("suffix %q made %q outside %s", suffix, p, s.Path())
			}
		}
		if err := s.Cleanup(); err != nil {
			t.Fatal(err)
		}
	})
}
