package tempfile_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/magekit/temp/tempfile"
)

func init() {
	// drop-scope: make a scope, keep only its path, let the garbage
	// collector have the *Scope, then print the path and, for each line
	// read from stdin, write a file of that name into the scope and answer
	// "ok" (or the error). The scope is never cleaned up: the process
	// exits holding it.
	helpers["drop-scope"] = func() int {
		p, err := madeAndDropped()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		// Several cycles, with pauses for the finalizer goroutine: a lock
		// that depends on the *Scope staying reachable is lost by now.
		for range 5 {
			runtime.GC()
			time.Sleep(20 * time.Millisecond)
		}
		fmt.Println(p)
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			if err := os.WriteFile(filepath.Join(p, in.Text()), []byte("data"), 0o600); err != nil {
				fmt.Println(err)
				return 1
			}
			fmt.Println("ok")
		}
		return 0
	}
}

//go:noinline
func madeAndDropped() (string, error) {
	s, err := tempfile.NewScope("dropped")
	if err != nil {
		return "", err
	}
	return s.Path(), nil
}

// TestDroppedScopeStaysLocked (issue 9 item 2): a program that keeps only
// a scope's path, not the *Scope, still holds its lock: the garbage
// collector must not close the lock file under it. Another process's
// Sweep, run between the child's writes, removes nothing; once the child
// exits, the scope is stale and goes.
func TestDroppedScopeStaysLocked(t *testing.T) {
	tmp := privateTmp(t)
	cmd, stdin, out := startChild(t, "drop-scope", "TMPDIR="+tmp)
	line, err := out.ReadString('\n')
	if err != nil {
		t.Fatalf("child gave no scope: %v", err)
	}
	path := line[:len(line)-1]
	if !lockHeld(t, path+".lock") {
		t.Error("the dropped scope's lock is free while its owner runs")
	}
	var written []string
	for i := range 20 {
		if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 0 {
			t.Fatalf("Sweep while the owner runs removed %q (%v)", removed, err)
		}
		name := "f" + strconv.Itoa(i)
		fmt.Fprintln(stdin, name)
		if ans, err := out.ReadString('\n'); err != nil || ans != "ok\n" {
			t.Fatalf("child writing %s into its scope: %q, %v", name, ans, err)
		}
		written = append(written, name)
	}
	slices.Sort(written)
	if got := entries(t, path); !slices.Equal(got, written) {
		t.Fatalf("the scope holds %q, want %q", got, written)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	io.Copy(io.Discard, out)
	// Exited without Cleanup: now it is stale.
	if removed, err := tempfile.Sweep(tmp); err != nil || !slices.Equal(removed, []string{path}) {
		t.Fatalf("Sweep after the owner exited = %q, %v; want %s", removed, err, path)
	}
}

// TestScopeLiveBeforeItsLockFile (issue 9 item 10): NewScope registers a
// new scope as this process's own before its lock file exists, so that a
// Sweep or Scopes in another goroutine never opens that lock file (which,
// where flock is emulated with process-wide POSIX locks, would take or
// drop the new scope's lock). Every failure after that unregisters it.
func TestScopeLiveBeforeItsLockFile(t *testing.T) {
	privateTmp(t)
	var ids []string
	plant := func(string, string) {}
	*tempfile.BeforeLock = func(parent, id string) {
		ids = append(ids, id)
		if !tempfile.IsLive(id) {
			t.Errorf("%s is not registered as live before its lock file is made", id)
		}
		if _, err := os.Lstat(filepath.Join(parent, id+".lock")); !os.IsNotExist(err) {
			t.Errorf("%s.lock exists before NewScope made it: %v", id, err)
		}
		plant(parent, id)
	}
	t.Cleanup(func() { *tempfile.BeforeLock = nil })

	s, err := tempfile.NewScope("live")
	mustDo(t, err)
	if id := filepath.Base(s.Path()); len(ids) != 1 || ids[0] != id || !tempfile.IsLive(id) {
		t.Fatalf("ids %q, scope %s", ids, id)
	}
	mustDo(t, s.Cleanup())
	if tempfile.IsLive(ids[0]) {
		t.Fatal("a cleaned up scope is still registered")
	}

	// The name's lock file taken: NewScope tries another id, and the
	// first is unregistered.
	ids = nil
	plant = func(parent, id string) {
		if len(ids) == 1 {
			mustDo(t, os.WriteFile(filepath.Join(parent, id+".lock"), nil, 0o600))
		}
	}
	s, err = tempfile.NewScope("live")
	mustDo(t, err)
	if len(ids) != 2 || tempfile.IsLive(ids[0]) || !tempfile.IsLive(ids[1]) {
		t.Fatalf("after a taken lock name: ids %q, live %v %v", ids, tempfile.IsLive(ids[0]), tempfile.IsLive(ids[1]))
	}
	mustDo(t, s.Cleanup())

	// The directory's name taken: NewScope fails and unregisters the id.
	ids = nil
	plant = func(parent, id string) { mustDo(t, os.Mkdir(filepath.Join(parent, id), 0o700)) }
	if _, err := tempfile.NewScope("live"); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("NewScope with its directory's name taken: %v, want fs.ErrExist", err)
	}
	if len(ids) != 1 || tempfile.IsLive(ids[0]) {
		t.Fatalf("a failed NewScope left %q registered", ids)
	}
}

// TestScopeSweptByItsOwnProcess: Sweep and Scopes hammered from other
// goroutines while NewScope, File and Cleanup run never remove or
// disturb a scope of this process. With real flock semantics the window
// TestScopeLiveBeforeItsLockFile closes cannot be observed from here;
// this guards the whole cycle against a sweeper in the same process.
func TestScopeSweptByItsOwnProcess(t *testing.T) {
	// In a child: the hammering sweepers make some 100,000 file accesses,
	// which the go command would record in the test log and check again
	// on every cached `go test` (see TestNoLeaks).
	tmp := privateTmp(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(cleanEnv(), helperEnv+"=swept-by-own", "TMPDIR="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

func init() {
	// swept-by-own: TestScopeSweptByItsOwnProcess's cycles, in $TMPDIR.
	helpers["swept-by-own"] = func() int {
		if err := sweptByOwnProcess(os.Getenv("TMPDIR")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	}
}

// sweptByOwnProcess makes, uses and cleans up 150 scopes in tmp while
// two goroutines run Sweep and Scopes on it without pause, and reports
// the first thing that disturbed a live scope.
func sweptByOwnProcess(tmp string) error {
	stop := make(chan struct{})
	errs := make(chan error, 2)
	for _, sweep := range []func() error{
		func() error {
			if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 0 {
				return fmt.Errorf("Sweep removed %q (%v)", removed, err)
			}
			return nil
		},
		func() error {
			list, err := tempfile.Scopes(tmp)
			for _, s := range list {
				if !s.Live {
					return fmt.Errorf("Scopes: %+v is not live", s)
				}
			}
			return err
		},
	} {
		go func() {
			for {
				select {
				case <-stop:
					errs <- nil
					return
				default:
				}
				if err := sweep(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var first error
	for range 150 {
		if err := sweptCycle(); err != nil {
			first = err
			break
		}
	}
	close(stop)
	for range 2 {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// sweptCycle makes a scope and a file in it, checks the file is there,
// and cleans up.
func sweptCycle() error {
	s, err := tempfile.NewScope("hammered")
	if err != nil {
		return err
	}
	f, err := s.File("")
	if err != nil {
		return errors.Join(err, s.Cleanup())
	}
	if err := f.Close(); err != nil {
		return errors.Join(err, s.Cleanup())
	}
	if _, err := os.Stat(f.Name()); err != nil {
		s.Cleanup()
		return fmt.Errorf("a file of a live scope is gone: %w", err)
	}
	return s.Cleanup()
}

// TestSweepHalfMadeLockFiles: a lock file is made under a temporary name
// and linked into place locked, so that no Sweep ever sees a live scope's
// lock file unlocked. An owner killed in between leaves the temporary
// name: Sweep removes it once its lock is free (it is no scope, so it is
// not reported), and leaves it while it is held.
func TestSweepHalfMadeLockFiles(t *testing.T) {
	tmp := privateTmp(t)
	s, err := tempfile.NewScope("made")
	mustDo(t, err)
	defer s.Cleanup()
	if got := entries(t, userParent(tmp)); len(got) != 2 {
		t.Fatalf("a new scope left %q in its parent, want its directory and lock file", got)
	}
	parent := userParent(tmp)
	free := filepath.Join(parent, "free.1.00000000000000000001.lock.new")
	held := filepath.Join(parent, "held.1.00000000000000000002.lock.new")
	mustDo(t, os.WriteFile(free, nil, 0o600))
	mustDo(t, os.WriteFile(held, nil, 0o600))
	f, err := os.Open(held)
	mustDo(t, err)
	defer f.Close()
	lockFile(t, f)
	if list, err := tempfile.Scopes(tmp); err != nil || len(list) != 1 {
		t.Fatalf("Scopes = %+v, %v; want the one scope", list, err)
	}
	if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 0 {
		t.Fatalf("Sweep = %q, %v; want nothing reported", removed, err)
	}
	if _, err := os.Lstat(free); !os.IsNotExist(err) {
		t.Errorf("a free half-made lock file survived Sweep: %v", err)
	}
	if _, err := os.Lstat(held); err != nil {
		t.Errorf("a held half-made lock file was removed: %v", err)
	}
}
