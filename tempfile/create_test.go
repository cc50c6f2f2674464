package tempfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// creators are every public way to make something from Options or a
// suffix, so each bad-input rule is checked against all of them.
var creators = []struct {
	name string
	make func(o tempfile.Options) (string, error)
}{
	{"CreateTemp", func(o tempfile.Options) (string, error) {
		f, err := tempfile.CreateTemp(o)
		if err != nil {
			return "", err
		}
		defer f.Close()
		return f.Name(), nil
	}},
	{"MkdirTemp", tempfile.MkdirTemp},
	{"NewFile", func(o tempfile.Options) (string, error) {
		f, err := tempfile.NewFile(o)
		if err != nil {
			return "", err
		}
		f.Keep()
		defer f.Close()
		return f.Name(), nil
	}},
	{"NewTemporaryFile", func(o tempfile.Options) (string, error) {
		f, err := tempfile.NewTemporaryFile(o)
		if err != nil {
			return "", err
		}
		defer f.Close()
		return f.Name(), nil
	}},
	{"Spooled.File", func(o tempfile.Options) (string, error) {
		s := tempfile.NewSpooled(1, o)
		defer s.Close()
		f, err := s.File()
		if err != nil {
			return "", err
		}
		return f.Name(), nil
	}},
}

func TestCreateNames(t *testing.T) {
	for _, c := range creators {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			name, err := c.make(tempfile.Options{Dir: dir, Prefix: "p-", Suffix: ".s"})
			if err != nil {
				t.Fatal(err)
			}
			base := filepath.Base(name)
			if filepath.Dir(name) != dir || !strings.HasPrefix(base, "p-") || !strings.HasSuffix(base, ".s") ||
				len(base) != len("p-")+20+len(".s") {
				t.Fatalf("name %q: want %s/p-<20 digits>.s", name, dir)
			}
		})
	}
}

func TestCreateModes(t *testing.T) {
	defer umask(umask(0))
	dir := t.TempDir()
	cases := []struct {
		name string
		perm fs.FileMode
		make func(o tempfile.Options) (*os.File, error)
		want fs.FileMode
	}{
		{"file default 0600", 0, tempfile.CreateTemp, 0o600},
		{"file 0640", 0o640, tempfile.CreateTemp, 0o640},
		{"dir default 0700", 0, openDir(tempfile.MkdirTemp), fs.ModeDir | 0o700},
		{"dir 0750", 0o750, openDir(tempfile.MkdirTemp), fs.ModeDir | 0o750},
		{"unnamed default 0600", 0, tempfile.NewTemporaryFile, 0o600},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := c.make(tempfile.Options{Dir: dir, Perm: c.perm})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fi, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode() & (fs.ModeDir | fs.ModePerm); got != shown(c.want) {
				t.Fatalf("mode %v, want %v", got, c.want)
			}
		})
	}
}

func openDir(mk func(tempfile.Options) (string, error)) func(tempfile.Options) (*os.File, error) {
	return func(o tempfile.Options) (*os.File, error) {
		d, err := mk(o)
		if err != nil {
			return nil, err
		}
		return os.Open(d)
	}
}

// badOptions are Options that every creator must refuse with
// fs.ErrInvalid before it makes anything: separators and NUL in names,
// non-permission modes, names too long for a file system.
var badOptions = []struct {
	name string
	o    tempfile.Options
}{
	{"slash in suffix", tempfile.Options{Suffix: "a/b"}},
	{"dotdot suffix", tempfile.Options{Suffix: "/../../etc/x"}},
	{"NUL in suffix", tempfile.Options{Suffix: "a\x00b"}},
	{"slash in prefix", tempfile.Options{Prefix: "../"}},
	{"NUL in prefix", tempfile.Options{Prefix: "\x00"}},
	{"NUL in dir", tempfile.Options{Dir: inDir + "\x00x"}}, // cut at the NUL, it is the checked dir
	{"mode with type bits", tempfile.Options{Perm: fs.ModeDir | 0o700}},
	{"setuid mode", tempfile.Options{Perm: fs.ModeSetuid | 0o700}},
	{"names over 255 bytes", tempfile.Options{Prefix: "p", Suffix: strings.Repeat("s", 235)}},
}

// inDir in a badOptions Dir stands for the directory the test checks.
const inDir = "<dir>"

// badIn returns o for a test whose directory is dir: in dir by default,
// and with inDir replaced by it.
func badIn(o tempfile.Options, dir string) tempfile.Options {
	if o.Dir == "" {
		o.Dir = dir
	}
	o.Dir = strings.Replace(o.Dir, inDir, dir, 1)
	return o
}

// TestBadInputCreatesNothing: a separator or NUL in a prefix or suffix, or
// a non-permission mode, is refused with fs.ErrInvalid before anything is
// created.
func TestBadInputCreatesNothing(t *testing.T) {
	for _, c := range creators {
		for _, b := range badOptions {
			t.Run(c.name+"/"+b.name, func(t *testing.T) {
				parent := t.TempDir()
				dir := filepath.Join(parent, "d")
				if err := os.Mkdir(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				o := badIn(b.o, dir)
				name, err := c.make(o)
				if !isInvalid(err) {
					t.Fatalf("got (%q, %v), want an error matching fs.ErrInvalid", name, err)
				}
				var pe *fs.PathError
				if !errors.As(err, &pe) {
					t.Fatalf("error %T is not a *fs.PathError", err)
				}
				mustEmpty(t, dir)
				if names := entries(t, parent); len(names) != 1 {
					t.Fatalf("something was created beside the directory: %q", names)
				}
			})
		}
	}
	t.Run("Mktemp", func(t *testing.T) {
		for _, s := range []string{"a/b", "\x00", "/"} {
			if n, err := tempfile.Mktemp(s); !isInvalid(err) {
				t.Errorf("Mktemp(%q) = (%q, %v), want fs.ErrInvalid", s, n, err)
			}
		}
	})
	t.Run("TemporaryFile", func(t *testing.T) {
		dir := privateTmp(t)
		if f, err := tempfile.TemporaryFile("a/b"); !isInvalid(err) {
			if f != nil {
				f.Close()
			}
			t.Errorf("TemporaryFile(a/b): %v, want fs.ErrInvalid", err)
		}
		mustEmpty(t, dir)
	})
}

// TestBadDir: a missing directory is fs.ErrNotExist, a file in its place a
// clear *fs.PathError naming it; neither creates anything.
func TestBadDir(t *testing.T) {
	base := t.TempDir()
	aFile := filepath.Join(base, "file")
	if err := os.WriteFile(aFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range creators {
		t.Run(c.name+"/missing", func(t *testing.T) {
			missing := filepath.Join(base, "missing")
			_, err := c.make(tempfile.Options{Dir: missing})
			var pe *fs.PathError
			if !isNotExist(err) || !errors.As(err, &pe) || !strings.HasPrefix(pe.Path, missing) {
				t.Fatalf("got %v, want a *fs.PathError in %s matching fs.ErrNotExist", err, missing)
			}
		})
		t.Run(c.name+"/not a directory", func(t *testing.T) {
			_, err := c.make(tempfile.Options{Dir: aFile})
			var pe *fs.PathError
			if !errors.As(err, &pe) || !errors.Is(err, syscall.ENOTDIR) || !strings.HasPrefix(pe.Path, aFile) {
				t.Fatalf("got %v, want a *fs.PathError naming %s with ENOTDIR", err, aFile)
			}
		})
	}
	t.Run("Mktemp/missing", func(t *testing.T) {
		setDir(t, filepath.Join(base, "missing"))
		if n, err := tempfile.Mktemp(""); !isNotExist(err) {
			t.Fatalf("Mktemp in a missing Dir = (%q, %v), want fs.ErrNotExist", n, err)
		}
	})
	t.Run("Mktemp/not a directory", func(t *testing.T) {
		setDir(t, aFile)
		if n, err := tempfile.Mktemp(""); !errors.Is(err, syscall.ENOTDIR) {
			t.Fatalf("Mktemp in a file = (%q, %v), want ENOTDIR", n, err)
		}
	})
	if names := entries(t, base); len(names) != 1 {
		t.Fatalf("bad Dir created something: %q", names)
	}
}

// TestCreateFlags: Options.Flag maps the classic module's mode: O_WRONLY gives a
// write-only file, O_APPEND appends.
func TestCreateFlags(t *testing.T) {
	dir := t.TempDir()
	f, err := tempfile.CreateTemp(tempfile.Options{Dir: dir, Flag: os.O_WRONLY | os.O_APPEND})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write([]byte("ab")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("cd")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Read(make([]byte, 1)); err == nil {
		t.Fatal("read from a write-only temp file succeeded")
	}
	got, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "abcd" {
		t.Fatalf("content %q, want O_APPEND to give abcd", got)
	}
}

// TestCreateCloseOnExec: no temp file leaks into a child process.
func TestCreateCloseOnExec(t *testing.T) {
	f, err := tempfile.CreateTemp(tempfile.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if inheritable(t, f) {
		t.Fatal("temp file descriptor lacks FD_CLOEXEC (on Windows: its handle is inheritable)")
	}
}
