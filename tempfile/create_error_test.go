package tempfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// failingCreators are the creators whose results come with an error, each
// reduced to what it returned: Go's convention is a zero result ("" or
// nil) whenever the error is not nil, so a caller that looks at the name
// first never removes or uses one that was never made.
var failingCreators = []struct {
	name string
	make func(o tempfile.Options) (made string, got bool, err error)
}{
	{"CreateTemp", func(o tempfile.Options) (string, bool, error) {
		f, err := tempfile.CreateTemp(o)
		if f != nil {
			defer f.Close()
			return f.Name(), true, err
		}
		return "", false, err
	}},
	{"MkdirTemp", func(o tempfile.Options) (string, bool, error) {
		d, err := tempfile.MkdirTemp(o)
		return d, d != "", err
	}},
	{"NewFile", func(o tempfile.Options) (string, bool, error) {
		f, err := tempfile.NewFile(o)
		if f != nil {
			defer f.Close()
			return f.Name(), true, err
		}
		return "", false, err
	}},
	{"Spooled.File", func(o tempfile.Options) (string, bool, error) {
		s := tempfile.NewSpooled(1, o)
		defer s.Close()
		f, err := s.File()
		if f != nil {
			return f.Name(), true, err
		}
		return "", false, err
	}},
}

// TestCreatorsReturnNothingWithAnError: in a missing directory, or in a
// file where a directory should be, every creator fails with the file
// system's error and returns nothing beside it (issue 9 item 8).
func TestCreatorsReturnNothingWithAnError(t *testing.T) {
	base := t.TempDir()
	aFile := filepath.Join(base, "file")
	if err := os.WriteFile(aFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{
		"missing":         filepath.Join(base, "missing"),
		"not a directory": aFile,
		"below a file":    filepath.Join(aFile, "sub"),
	}
	for _, c := range failingCreators {
		for what, dir := range dirs {
			t.Run(c.name+"/"+what, func(t *testing.T) {
				made, got, err := c.make(tempfile.Options{Dir: dir})
				if err == nil {
					t.Fatalf("succeeded in %s: %q", dir, made)
				}
				var pe *fs.PathError
				if !errors.As(err, &pe) {
					t.Errorf("error %v (%T) is not a *fs.PathError", err, err)
				}
				if got {
					t.Errorf("returned %q together with the error %v; want nothing", made, err)
				}
			})
		}
	}
	if names := entries(t, base); len(names) != 1 {
		t.Fatalf("a failed creator made something: %q", names)
	}
}
