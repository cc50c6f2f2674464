//go:build linux

package tempfile_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// TestRemoveAsNobody reruns TestRemoveUnprivileged as the user nobody
// when the tests run as root (as CI does): root ignores permission bits,
// so only an unprivileged user shows whether the removal restores them.
func TestRemoveAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("not root: TestRemoveUnprivileged runs directly as this unprivileged user")
	}
	base, bin := nobodyBin(t, "removeasnobody")
	tmp := filepath.Join(base, "tmp")
	mustDo(t, os.Mkdir(tmp, 0o700))
	mustDo(t, os.Chown(tmp, nobody, nobody))

	cmd := exec.Command(bin, "-test.run=^TestRemoveUnprivileged$", "-test.v", "-test.count=1")
	cmd.Dir = tmp
	cmd.Env = append(cleanEnv(), "TMPDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	t.Logf("as nobody:\n%s", out)
	if err != nil {
		t.Fatalf("TestRemoveUnprivileged as nobody: %v", err)
	}
	if !strings.Contains(string(out), "--- PASS: TestRemoveUnprivileged") || strings.Contains(string(out), "SKIP") {
		t.Fatal("TestRemoveUnprivileged did not run and pass in full as nobody")
	}
}

// ownerModes are the eight combinations of the owner's bits, group and
// others none: what a build tool or a `chmod -R` may leave.
var ownerModes = []fs.FileMode{0, 0o100, 0o200, 0o300, 0o400, 0o500, 0o600, 0o700}

// TestRemoveUnprivileged: Cleanup and Sweep remove what a user may make
// of a scope's directories' modes — the scope's own directory included —
// deep and wide read-only trees, and never follow a link out while they
// restore permission bits.
func TestRemoveUnprivileged(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root bypasses permissions: TestRemoveAsNobody reruns this as nobody")
	}
	t.Run("Cleanup restores every mode on the scope and below", func(t *testing.T) {
		tmp := privateTmp(t)
		for _, top := range ownerModes {
			s, err := tempfile.NewScope("mode" + strconv.Itoa(int(top)))
			mustDo(t, err)
			fillModes(t, s.Path())
			mustDo(t, os.Chmod(s.Path(), top))
			if err := s.Cleanup(); err != nil {
				t.Errorf("Cleanup of a scope of mode %v: %v", top, err)
			}
		}
		mustEmpty(t, userParent(tmp))
	})
	t.Run("the same through /proc/self/fd, without fchmodat2", func(t *testing.T) {
		tempfile.NoFchmodat2.Store(true)
		defer tempfile.NoFchmodat2.Store(false)
		tmp := privateTmp(t)
		for _, top := range ownerModes {
			s, err := tempfile.NewScope("mode" + strconv.Itoa(int(top)))
			mustDo(t, err)
			fillModes(t, s.Path())
			mustDo(t, os.Chmod(s.Path(), top))
			if err := s.Cleanup(); err != nil {
				t.Errorf("Cleanup of a scope of mode %v: %v", top, err)
			}
		}
		mustEmpty(t, userParent(tmp))
	})
	t.Run("Sweep removes dead scopes whatever their mode", func(t *testing.T) {
		tmp := privateTmp(t)
		var dead []string
		for _, top := range ownerModes {
			c := startHolder(t, tmp)
			fillModes(t, c.path)
			mustDo(t, os.Chmod(c.path, top))
			mustDo(t, c.cmd.Process.Kill())
			c.cmd.Wait()
			dead = append(dead, c.path)
		}
		removed, err := tempfile.Sweep(tmp)
		if err != nil {
			t.Errorf("Sweep: %v", err)
		}
		slices.Sort(removed)
		slices.Sort(dead)
		if !slices.Equal(removed, dead) {
			t.Errorf("Sweep removed %q, want %q", removed, dead)
		}
		mustEmpty(t, userParent(tmp))
	})
	t.Run("Cleanup removes 1000 nested read-only directories", func(t *testing.T) {
		tmp := privateTmp(t)
		s, err := tempfile.NewScope("deep")
		mustDo(t, err)
		makeDeep(t, s.Path(), 1000, 0o500)
		mustDo(t, os.Chmod(s.Path(), 0o500))
		mustDo(t, s.Cleanup())
		mustEmpty(t, userParent(tmp))
	})
	t.Run("Cleanup removes a module-cache-like tree", func(t *testing.T) {
		tmp := privateTmp(t)
		s, err := tempfile.NewScope("wide")
		mustDo(t, err)
		makeWide(t, s.Path(), 20)
		mustDo(t, s.Cleanup())
		mustEmpty(t, userParent(tmp))
	})
	t.Run("links out of the scope lead nowhere", func(t *testing.T) {
		tmp := privateTmp(t)
		out := t.TempDir()
		makeSource(t, out)
		before := snapshot(t, out)
		s, err := tempfile.NewScope("links")
		mustDo(t, err)
		for _, l := range []string{"", "ro", "none", "f"} {
			mustDo(t, os.Symlink(filepath.Join(out, l), filepath.Join(s.Path(), "to-"+l)))
		}
		mustDo(t, os.Chmod(s.Path(), 0))
		mustDo(t, s.Cleanup())
		if after := snapshot(t, out); after != before {
			t.Fatalf("the links' targets changed:\n%swas:\n%s", after, before)
		}
		mustEmpty(t, userParent(tmp))
	})
	t.Run("unreadable directories swapped for links during Cleanup", func(t *testing.T) {
		swapModeRace(t, rounds(300))
	})
}

// fillModes fills dir with a directory of each owner mode, each holding
// a file and a directory of the same mode, with a file in that.
func fillModes(t *testing.T, dir string) {
	t.Helper()
	for _, m := range ownerModes {
		d := filepath.Join(dir, "d"+strconv.Itoa(int(m)))
		mustDo(t, os.MkdirAll(filepath.Join(d, "sub"), 0o700))
		mustDo(t, os.WriteFile(filepath.Join(d, "sub", "f"), []byte("x"), 0o600))
		mustDo(t, os.WriteFile(filepath.Join(d, "f"), []byte("x"), 0o600))
		for _, p := range []string{"sub/f", "sub", "f", ""} {
			mustDo(t, os.Chmod(filepath.Join(d, p), m))
		}
	}
}

// swapModeRace is TestCleanupSwapRace for the directories whose bits
// Cleanup must restore before it can even open them (mode 0): an attacker
// swaps them for links to read-only directories outside, whose modes a
// chmod that followed the link would change.
func swapModeRace(t *testing.T, n int) {
	privateTmp(t)
	out := t.TempDir()
	makeSource(t, out)
	before := snapshot(t, out)
	stash := t.TempDir()
	t.Cleanup(func() { openTree(stash) })
	var swaps atomic.Int64
	for round := range n {
		s, err := tempfile.NewScope("race")
		mustDo(t, err)
		var targets []string
		for i := range 4 {
			d := filepath.Join(s.Path(), "d"+strconv.Itoa(i))
			mustDo(t, os.MkdirAll(filepath.Join(d, "inner"), 0o700))
			mustDo(t, os.WriteFile(filepath.Join(d, "inner", "f"), nil, 0o400))
			mustDo(t, os.Chmod(filepath.Join(d, "inner"), 0))
			mustDo(t, os.Chmod(d, 0o300))
			targets = append(targets, d)
		}
		targets = append(targets, s.Path())
		mustDo(t, os.Chmod(s.Path(), 0o300))
		swaps.Add(swapDuringCleanup(s, targets, func(i int) (string, string) {
			return filepath.Join(stash, strconv.Itoa(round)+"-"+strconv.Itoa(i)), filepath.Join(out, []string{"ro", "none"}[i%2])
		}))
		if after := snapshot(t, out); after != before {
			t.Fatalf("round %d: the directory outside changed:\n%swas:\n%s", round, after, before)
		}
		removeSwapLinks(s, targets)
	}
	if swaps.Load() == 0 {
		t.Fatal("the attacker never got a swap in: the test proves nothing")
	}
	t.Logf("%d rounds, %d swaps during Cleanup, outside intact", n, swaps.Load())
}
