package tempfile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// TestFallbackScanOnlyWhenNeeded: finding fallbacks reads the whole temp
// directory (70 ms for 100,000 entries, for each Sweep). With a usable
// per-user parent that no fallback was ever made beside, Sweep, Scopes
// and SweepKept read only the parent; while it is refused, a process
// reads it once, not for each scope; a fallback made while the parent
// was refused is still swept after the parent is made again, usable.
func TestFallbackScanOnlyWhenNeeded(t *testing.T) {
	t.Run("usable parent", func(t *testing.T) {
		dir := t.TempDir()
		s, err := tempfile.NewScopeIn(dir, "a")
		mustDo(t, err)
		mustDo(t, s.Cleanup())
		before := tempfile.FallbackScans.Load()
		tempfile.Sweep(dir)
		tempfile.Scopes(dir)
		tempfile.SweepKept(dir)
		if n := tempfile.FallbackScans.Load() - before; n != 0 {
			t.Fatalf("Sweep, Scopes and SweepKept read the temp directory %d times for fallbacks, want 0", n)
		}
	})
	t.Run("refused, then made again", func(t *testing.T) {
		dir := t.TempDir()
		s, err := tempfile.NewScopeIn(dir, "probe") // to learn the parent's name
		mustDo(t, err)
		parent := filepath.Dir(s.Path())
		mustDo(t, s.Cleanup())
		mustDo(t, os.RemoveAll(parent))
		mustDo(t, os.WriteFile(parent, nil, 0o600)) // refused: not a directory
		s, err = tempfile.NewScopeIn(dir, "b")
		mustDo(t, err)
		fallback := filepath.Dir(s.Path())
		if !strings.HasPrefix(fallback, parent+".") {
			t.Fatalf("scope %s, want it in a fallback %s.*", s.Path(), parent)
		}
		before := tempfile.FallbackScans.Load()
		for range 3 {
			s, err := tempfile.NewScopeIn(dir, "more")
			mustDo(t, err)
			if filepath.Dir(s.Path()) != fallback {
				t.Fatalf("scope %s, want it in %s", s.Path(), fallback)
			}
			mustDo(t, s.Cleanup())
		}
		if n := tempfile.FallbackScans.Load() - before; n != 0 {
			t.Fatalf("3 more scopes read the temp directory %d times for fallbacks, want 0 (the fallback is known)", n)
		}
		// What a dead owner's stray child leaves: an orphan, for Sweep.
		orphan := filepath.Join(fallback, "x.1.01234567890123456789")
		mustDo(t, os.Mkdir(orphan, 0o700))
		mustDo(t, s.Cleanup())

		mustDo(t, os.Remove(parent))
		s, err = tempfile.NewScopeIn(dir, "c") // makes the parent again
		mustDo(t, err)
		if filepath.Dir(s.Path()) != parent {
			t.Fatalf("scope %s, want it in %s", s.Path(), parent)
		}
		mustDo(t, s.Cleanup())
		removed, err := tempfile.Sweep(dir)
		mustDo(t, err)
		if len(removed) != 1 || removed[0] != orphan {
			t.Fatalf("Sweep removed %q, want the fallback's orphan %s", removed, orphan)
		}
	})
}
