package tempfile_test

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// setDir points Dir() at d for one test and restores the default after.
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

// privateTmp points Dir() at a fresh directory for one test and restores
// the default after.
func privateTmp(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	setDir(t, d)
	return d
}

// userParent is this user's parent of scopes in tmp.
func userParent(tmp string) string { return userParentOf(tmp, parentOwner()) }

// userParentOf is the parent of scopes in tmp of the user whose name in
// it is owner: the uid on Unix, the user name on Windows (see
// parentOwner). It is the one place the tests spell mgtemp-<uid>.
func userParentOf(tmp, owner string) string { return filepath.Join(tmp, "mgtemp-"+owner) }

// mkdirMode makes directory p with mode m, whatever the umask.
func mkdirMode(p string, m fs.FileMode) error {
	if err := os.Mkdir(p, 0o700); err != nil {
		return err
	}
	return os.Chmod(p, m)
}

// mustDo fails the test if err is not nil.
func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// rounds scales an adversarial scenario: the full count under
// TEMPFILE_STRESS=1 (`go tool mage stress`), a tenth by default so that
// CI catches regressions quickly, and a hundredth under -short.
func rounds(full int) int {
	switch {
	case os.Getenv("TEMPFILE_STRESS") == "1":
		return full
	case testing.Short():
		return max(1, full/100)
	}
	return max(1, full/10)
}

// fastTmp is privateTmp on tmpfs (/dev/shm) when there is one: the load
// scenarios measure races, and the benchmarks the code, not a disk (/tmp
// on these machines is ext4 whose per-file cost drifts too much).
func fastTmp(t testing.TB) string {
	t.Helper()
	base := ""
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		base = "/dev/shm"
	}
	d, err := os.MkdirTemp(base, "tempfile-stress")
	if err == nil {
		d, err = filepath.Abs(d) // under Wine, /dev/shm is a path without a drive
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	setDir(t, d)
	return d
}

// startChild starts this test binary as the helper named helper (see
// helpers), with env added to a clean environment, its stderr on ours.
// It returns the child, a pipe to its stdin and a reader of its stdout;
// when the test ends, stdin is closed and the child killed and reaped.
func startChild(t *testing.T, helper string, env ...string) (*exec.Cmd, io.WriteCloser, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(append(cleanEnv(), helperEnv+"="+helper), env...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	mustDo(t, err)
	stdout, err := cmd.StdoutPipe()
	mustDo(t, err)
	mustDo(t, cmd.Start())
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd, stdin, bufio.NewReader(stdout)
}

// swapDuringCleanup runs s.Cleanup while an attacker moves each of
// targets (directories in the scope, and the scope itself) aside and puts
// a symbolic link in its place; swap(i) names where target i goes and
// what its link points to. Cleanup may fail (things moved under it); what
// the caller checks is that nothing outside was touched. It returns how
// many swaps landed.
func swapDuringCleanup(s *tempfile.Scope, targets []string, swap func(i int) (aside, link string)) int64 {
	var swaps atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	wg.Go(func() {
		<-start
		for i, d := range targets {
			aside, link := swap(i)
			if os.Rename(d, aside) == nil && os.Symlink(link, d) == nil {
				swaps.Add(1)
			}
		}
	})
	close(start)
	s.Cleanup()
	wg.Wait()
	return swaps.Load()
}

// removeSwapLinks clears what swapDuringCleanup's attacker left at the
// targets' names (its links) and the scope's lock file, which a failed
// Cleanup keeps.
func removeSwapLinks(s *tempfile.Scope, targets []string) {
	for _, d := range targets {
		if fi, err := os.Lstat(d); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			os.Remove(d)
		}
	}
	os.Remove(s.Path() + ".lock")
}
