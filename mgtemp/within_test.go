package mgtemp_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

// TestWithInScope: WithIn's scope is in dir's per-user parent, labelled
// with its caller, in fn's context, and gone when fn returns — also when
// fn fails, whose error WithIn returns; nothing goes to the temp
// directory.
func TestWithInScope(t *testing.T) {
	tmp := setTmp(t)
	dir := t.TempDir()
	boom := errors.New("boom")
	for _, want := range []error{nil, boom} {
		var path string
		err := mgtemp.WithIn(context.Background(), dir, func(ctx context.Context, s *tempfile.Scope) error {
			path = s.Path()
			if got, ok := mgtemp.FromContext(ctx); !ok || got != s {
				t.Error("FromContext does not give WithIn's scope")
			}
			if p := filepath.Dir(filepath.Dir(path)); p != dir {
				t.Errorf("scope %s is not in %s's per-user parent", path, dir)
			}
			if base := filepath.Base(path); !strings.HasPrefix(base, "testWithInScope.") {
				t.Errorf("scope %s is not labelled with its caller", base)
			}
			d, err := s.MkdirTemp(tempfile.Options{Prefix: "unpack-"})
			if err != nil {
				return err
			}
			return errors.Join(os.WriteFile(filepath.Join(d, "x"), []byte("x"), 0o600), want)
		})
		if !errors.Is(err, want) || want == nil && err != nil {
			t.Fatalf("WithIn returned %v, want %v", err, want)
		}
		if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("scope %s left after WithIn returned: %v", path, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "mgtemp-*", "*")); len(left) != 0 {
		t.Fatalf("left in dir: %q", left)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("WithIn wrote into the temp directory: %v", left)
	}
}

// TestWithInMissingDir: a dir that does not exist is an error that keeps
// fs.ErrNotExist, fn never runs and nothing is made.
func TestWithInMissingDir(t *testing.T) {
	setTmp(t)
	dir := filepath.Join(t.TempDir(), "missing")
	err := mgtemp.WithIn(context.Background(), dir, func(context.Context, *tempfile.Scope) error {
		t.Error("fn ran without a scope")
		return nil
	})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("WithIn in a missing dir: %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("WithIn made %s: %v", dir, err)
	}
}
