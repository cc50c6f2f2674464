package tempfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestProbeDirsNoneUsable: when no candidate can take a file, the first
// is chosen and every candidate is reported with its own reason.
func TestProbeDirsNoneUsable(t *testing.T) {
	base := t.TempDir()
	aFile := filepath.Join(base, "a-file")
	if err := os.WriteFile(aFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(base, "missing")
	p := probeDirs([]candidate{{"TMPDIR", missing}, {"TEMP", aFile}, {"working directory", filepath.Join(missing, "x")}})
	if p.ok || p.dir != missing || len(p.skipped) != 3 {
		t.Fatalf("probeDirs = %+v; want not ok, the first candidate and 3 reasons", p)
	}
	for i, want := range []error{fs.ErrNotExist, nil, fs.ErrNotExist} {
		var pe *fs.PathError
		if !errors.As(p.skipped[i], &pe) || (want != nil && !errors.Is(pe, want)) {
			t.Errorf("skipped[%d] = %v, want a *fs.PathError matching %v", i, p.skipped[i], want)
		}
	}
}
