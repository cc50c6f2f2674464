package tempfile_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// victim makes a directory outside every scope shaped like the scopes of
// TestCleanupSwapRace (same names, read-only modes), so that a removal
// that followed a swapped link would find work to do there, and returns
// a check that all of it is still there, unchanged.
func victim(t *testing.T) (dir string, intact func() error) {
	t.Helper()
	dir = t.TempDir()
	for i := range 5 {
		mustDo(t, os.WriteFile(filepath.Join(dir, "v"+strconv.Itoa(i)), []byte("victim"), 0o600))
	}
	for i := range 4 {
		inner := filepath.Join(dir, "d"+strconv.Itoa(i), "inner")
		mustDo(t, os.MkdirAll(inner, 0o700))
		for j := range 5 {
			mustDo(t, os.WriteFile(filepath.Join(inner, "f"+strconv.Itoa(j)), []byte("victim"), 0o400))
		}
		mustDo(t, os.Chmod(inner, 0o500))
	}
	t.Cleanup(func() { openTree(dir) })
	return dir, func() error {
		for i := range 5 {
			if b, err := os.ReadFile(filepath.Join(dir, "v"+strconv.Itoa(i))); err != nil || string(b) != "victim" {
				return fmt.Errorf("v%d: %q, %v", i, b, err)
			}
		}
		for i := range 4 {
			inner := filepath.Join(dir, "d"+strconv.Itoa(i), "inner")
			if fi, err := os.Lstat(inner); err != nil || fi.Mode() != shown(fs.ModeDir|0o500) {
				return fmt.Errorf("%s changed: %v, %v", inner, fi.Mode(), err)
			}
			for j := range 5 {
				p := filepath.Join(inner, "f"+strconv.Itoa(j))
				fi, err := os.Lstat(p)
				if err != nil || fi.Mode() != shown(0o400) {
					return fmt.Errorf("%s changed: %v", p, err)
				}
			}
		}
		return nil
	}
}

// openTree gives the owner rwx on every directory under dir, so that the
// test's own cleanup can remove what it made read-only.
func openTree(dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o700)
		}
		return nil
	})
}

// TestCleanupSwapRace swaps directories inside a scope, and the scope
// directory itself, for symbolic links to a victim directory while
// Cleanup runs, round after round. The victim must never be touched
// (CPython's gh-157579 is this race; os.Root is the answer here).
// TestUnprivileged runs it as nobody too, where the read-only
// directories force Cleanup's careful pass (root's RemoveAll needs none).
func TestCleanupSwapRace(t *testing.T) { swapRace(t, rounds(1000)) }

func swapRace(t *testing.T, n int) {
	privateTmp(t)
	vdir, intact := victim(t)
	stash := t.TempDir() // where the attacker moves the real directories
	t.Cleanup(func() { openTree(stash) })
	var swaps atomic.Int64
	for round := range n {
		s, err := tempfile.NewScope("race")
		mustDo(t, err)
		var subs []string
		for i := range 4 {
			d := filepath.Join(s.Path(), "d"+strconv.Itoa(i))
			mustDo(t, os.MkdirAll(filepath.Join(d, "inner"), 0o700))
			for j := range 5 {
				mustDo(t, os.WriteFile(filepath.Join(d, "inner", "f"+strconv.Itoa(j)), nil, 0o400))
			}
			mustDo(t, os.Chmod(filepath.Join(d, "inner"), 0o500))
			subs = append(subs, d)
		}
		// Files made by File, which Cleanup unlinks by name: the victim
		// gets files of the same names, for an unlink that followed the
		// swapped scope directory to find.
		var made []string
		for range 3 {
			f, err := s.File("")
			mustDo(t, err)
			mustDo(t, f.Close())
			made = append(made, filepath.Join(vdir, filepath.Base(f.Name())))
			mustDo(t, os.WriteFile(made[len(made)-1], []byte("victim"), 0o600))
		}
		targets := append(subs, s.Path())
		swaps.Add(swapDuringCleanup(s, targets, func(i int) (string, string) {
			return filepath.Join(stash, strconv.Itoa(round)+"-"+strconv.Itoa(i)), vdir
		}))
		if err := intact(); err != nil {
			t.Fatalf("round %d: the victim was touched: %v", round, err)
		}
		for _, v := range made {
			if b, err := os.ReadFile(v); err != nil || string(b) != "victim" {
				t.Fatalf("round %d: the victim's copy of a File name was touched: %q, %v", round, b, err)
			}
			os.Remove(v)
		}
		removeSwapLinks(s, targets)
	}
	if swaps.Load() == 0 {
		t.Fatal("the attacker never got a swap in: the test proves nothing")
	}
	t.Logf("%d rounds, %d swaps during Cleanup, victim intact", n, swaps.Load())
}

// TestHardLinkOut: a hard link planted in a scope to a file outside is
// removed by Cleanup; the file outside survives with its content.
func TestHardLinkOut(t *testing.T) {
	privateTmp(t)
	vdir, intact := victim(t)
	s, err := tempfile.NewScope("hl")
	mustDo(t, err)
	mustDo(t, os.Link(filepath.Join(vdir, "v1"), filepath.Join(s.Path(), "link")))
	mustDo(t, os.Chmod(s.Path(), 0o500))
	mustDo(t, s.Cleanup())
	mustDo(t, intact())
	if _, err := os.Lstat(s.Path()); !os.IsNotExist(err) {
		t.Fatalf("the scope with the hard link survived: %v", err)
	}
}
