package tempfile_test

import (
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/magekit/temp/tempfile"
)

func setDir(t testing.TB, d string) {
	t.Helper()
	tempfile.SetDir(d)
	t.Cleanup(func() { tempfile.SetDir("") })
}

// entries lists the names in dir, failing the test on error.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name()
	}
	return names
}

// mustEmpty fails the test if dir holds anything.
func mustEmpty(t *testing.T, dir string) {
	t.Helper()
	if names := entries(t, dir); len(names) != 0 {
		t.Fatalf("%s should be empty, holds %q", dir, names)
	}
}

func isInvalid(err error) bool  { return err != nil && errors.Is(err, fs.ErrInvalid) }
func isNotExist(err error) bool { return err != nil && errors.Is(err, fs.ErrNotExist) }
