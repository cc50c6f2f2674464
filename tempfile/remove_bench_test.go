//go:build unix

package tempfile_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// The removal of read-only trees, against what a shell user would type:
// `chmod -R u+w DIR && rm -rf DIR` (its figure includes starting sh, chmod
// and rm, about a millisecond or two). The goal is lib ≤ 2× chmod-rm.
// Run as root, the bits still matter to the library: it restores them
// wherever the owner's rwx is missing, whoever runs it, as chmod -R does;
// as nobody (run the test binary so, see the report in the history) the
// unreadable directories also take the O_PATH route.

// BenchmarkRemoveDeepReadOnly removes 1000 nested directories of mode
// 0o500, each holding a file.
func BenchmarkRemoveDeepReadOnly(b *testing.B) {
	benchRemove(b, func(tb testing.TB, dir string) { makeDeep(tb, dir, 1000, 0o500) })
}

// BenchmarkRemoveWideReadOnly removes a tree shaped like Go's module
// cache: 100 modules, 601 directories of mode 0o555, 3900 files of mode
// 0o444.
func BenchmarkRemoveWideReadOnly(b *testing.B) {
	benchRemove(b, func(tb testing.TB, dir string) { makeWide(tb, dir, 100) })
}

// benchRemove times the removal of the trees fill makes, each built
// before the timer runs: by Cleanup of a scope that holds it (lib), and
// by chmod -R u+w && rm -rf (chmod-rm).
func benchRemove(b *testing.B, fill func(tb testing.TB, dir string)) {
	b.Run("lib", func(b *testing.B) {
		fastTmp(b)
		for b.Loop() {
			b.StopTimer()
			s, err := tempfile.NewScope("bench")
			if err != nil {
				b.Fatal(err)
			}
			fill(b, s.Path())
			b.StartTimer()
			if err := s.Cleanup(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("chmod-rm", func(b *testing.B) {
		dir := fastTmp(b)
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			root := filepath.Join(dir, "t"+strconv.Itoa(i))
			if err := os.Mkdir(root, 0o700); err != nil {
				b.Fatal(err)
			}
			fill(b, root)
			b.StartTimer()
			cmd := exec.Command("sh", "-c", `chmod -R u+w "$1" && rm -rf "$1"`, "sh", root)
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v: %s", err, out)
			}
		}
	})
}
