package mgtemp_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

// FuzzTmpTargets: whatever -suffix the shell passes, tmp:name, tmp:file
// and tmp:dir print one path directly inside the temp directory, ending
// in the suffix, or fail with fs.ErrInvalid having printed and made
// nothing. Never a panic.
func FuzzTmpTargets(f *testing.F) {
	for _, s := range []string{"", ".tar.gz", "a\nb", "\r", "a/b", "/../../etc/x", "\x00", "..", strings.Repeat("s", 300), "é\xff"} {
		f.Add(s)
	}
	parent := f.TempDir()
	f.Fuzz(func(t *testing.T, suffix string) {
		dir, err := os.MkdirTemp(parent, "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		tempfile.SetDir(dir)
		defer tempfile.SetDir("")
		for _, target := range []struct {
			name string
			run  func(*string) error
		}{{"tmp:name", mgtemp.Tmp{}.Name}, {"tmp:file", mgtemp.Tmp{}.File}, {"tmp:dir", mgtemp.Tmp{}.Dir}} {
			out, err := captureStdout(t, func() error { return target.run(&suffix) })
			if err != nil {
				if !errors.Is(err, fs.ErrInvalid) || out != "" {
					t.Fatalf("%s -suffix=%q: %v, printed %q; want fs.ErrInvalid and nothing", target.name, suffix, err, out)
				}
				if es, _ := os.ReadDir(dir); len(es) != 0 {
					t.Fatalf("%s -suffix=%q failed but made %d entries", target.name, suffix, len(es))
				}
				continue
			}
			p, ok := strings.CutSuffix(out, "\n")
			if !ok || strings.ContainsAny(p, "\n\r") {
				t.Fatalf("%s printed %q, want exactly one line", target.name, out)
			}
			if filepath.Dir(p) != dir || !strings.HasSuffix(p, suffix) {
				t.Fatalf("%s -suffix=%q printed %q: not a name in %s ending in the suffix", target.name, suffix, p, dir)
			}
			os.RemoveAll(p)
		}
	})
}

// captureStdout runs fn with os.Stdout going to a file, and returns what
// it printed.
func captureStdout(t *testing.T, fn func() error) (string, error) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := os.Stdout
	os.Stdout = f
	err = fn()
	os.Stdout = old
	b, rerr := os.ReadFile(f.Name())
	if rerr != nil {
		t.Fatal(rerr)
	}
	return string(b), err
}
