package tempfile_test

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/magekit/temp/tempfile"
)

func init() {
	// hold-scope: make a scope with a file in it, print its path, and hold
	// it until stdin closes; then clean up.
	helpers["hold-scope"] = func() int {
		s, err := tempfile.NewScope("child")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		f, err := s.File(".dat")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		f.Close()
		if _, err := s.Mkdir(""); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(s.Path())
		io.Copy(io.Discard, os.Stdin)
		if err := s.Cleanup(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	}
}

// child is a test binary holding a scope in TMPDIR=tmp.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	path  string
}

func startHolder(t *testing.T, tmp string) *child {
	t.Helper()
	cmd, stdin, stdout := startChild(t, "hold-scope", "TMPDIR="+tmp)
	c := &child{cmd: cmd, stdin: stdin}
	line, err := stdout.ReadString('\n')
	if err != nil {
		t.Fatalf("child gave no scope: %v", err)
	}
	c.path = line[:len(line)-1]
	return c
}

// TestSweep: beside the scope of a child killed with SIGKILL lie a live
// child's scope, this process's scope, a kept scope and things that are no
// scopes. Sweep removes exactly the dead child's.
func TestSweep(t *testing.T) {
	tmp := privateTmp(t)
	dead := startHolder(t, tmp)
	alive := startHolder(t, tmp)
	mustDo(t, dead.cmd.Process.Signal(syscall.SIGKILL))
	if err := dead.cmd.Wait(); err == nil {
		t.Fatal("the killed child exited cleanly")
	}
	mine, err := tempfile.NewScope("mine")
	mustDo(t, err)
	defer mine.Cleanup()
	kept, err := tempfile.NewScope("kept")
	mustDo(t, err)
	kept.Keep()
	mustDo(t, kept.Cleanup())

	parent := userParent(tmp)
	// Things that are not scopes, some shaped almost like one.
	mustDo(t, os.Mkdir(filepath.Join(parent, "plain-dir"), 0o700))
	mustDo(t, os.WriteFile(filepath.Join(parent, "x.lock"), nil, 0o600))
	mustDo(t, os.WriteFile(filepath.Join(parent, "fake.1.2.lock"), nil, 0o600))
	// 19 digits: a directory of a scope's form would be an orphan.
	mustDo(t, os.Mkdir(filepath.Join(parent, "fake.12.0000000000000000001"), 0o700))

	before := entries(t, parent)
	removed, err := tempfile.Sweep("")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(removed, []string{dead.path}) {
		t.Fatalf("Sweep removed %q, want only the killed child's %q", removed, dead.path)
	}
	after := entries(t, parent)
	want := slices.DeleteFunc(before, func(n string) bool {
		return n == filepath.Base(dead.path) || n == filepath.Base(dead.path)+".lock"
	})
	if !slices.Equal(after, want) { // the non-scopes among them
		t.Fatalf("after Sweep the parent holds %q, want %q", after, want)
	}

	// Sweep again: nothing more to do.
	if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 0 {
		t.Fatalf("second Sweep removed %q, %v", removed, err)
	}
	// The live child still has its scope, and cleans it up itself.
	if _, err := os.Stat(alive.path); err != nil {
		t.Fatalf("live child's scope: %v", err)
	}
	alive.stdin.Close()
	if err := alive.cmd.Wait(); err != nil {
		t.Fatalf("live child: %v", err)
	}
	if _, err := os.Lstat(alive.path); !os.IsNotExist(err) {
		t.Fatalf("live child's Cleanup left %s", alive.path)
	}
}

// TestSweepMissingParent: nothing to sweep is not an error.
func TestSweepMissingParent(t *testing.T) {
	tmp := t.TempDir()
	removed, err := tempfile.Sweep(tmp)
	if err != nil || removed != nil {
		t.Fatalf("Sweep of an empty temp dir = %q, %v", removed, err)
	}
	mustEmpty(t, tmp)
}

// TestSweepRemovesReadOnlyLeftovers: a dead scope whose tree was left
// read-only is still removed, and a lone lock file (a crash between lock
// and mkdir) is cleared too.
func TestSweepRemovesReadOnlyLeftovers(t *testing.T) {
	tmp := privateTmp(t)
	dead := startHolder(t, tmp)
	sub := filepath.Join(dead.path, "ro")
	mustDo(t, os.MkdirAll(filepath.Join(sub, "deeper"), 0o700))
	mustDo(t, os.Chmod(filepath.Join(sub, "deeper"), 0))
	mustDo(t, os.Chmod(sub, 0o500))
	mustDo(t, dead.cmd.Process.Signal(syscall.SIGKILL))
	dead.cmd.Wait()
	lone := filepath.Join(userParent(tmp), "lone.1.00000000000000000042")
	mustDo(t, os.WriteFile(lone+".lock", nil, 0o600))

	removed, err := tempfile.Sweep(tmp)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	want := []string{dead.path, lone}
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Fatalf("Sweep removed %q, want %q", removed, want)
	}
	mustEmpty(t, userParent(tmp))
}

// TestScopes lists live, stale and kept scopes with their labels, pids and
// sizes, and changes nothing.
func TestScopes(t *testing.T) {
	tmp := privateTmp(t)
	if list, err := tempfile.Scopes(""); err != nil || list != nil {
		t.Fatalf("Scopes with no parent = %v, %v", list, err)
	}
	dead := startHolder(t, tmp)
	mustDo(t, dead.cmd.Process.Kill())
	dead.cmd.Wait()
	alive := startHolder(t, tmp)
	mine, err := tempfile.NewScope("mine")
	mustDo(t, err)
	defer mine.Cleanup()
	mustDo(t, os.WriteFile(filepath.Join(mine.Path(), "data"), make([]byte, 1000), 0o600))
	kept, err := tempfile.NewScope("kept")
	mustDo(t, err)
	kept.Keep()
	mustDo(t, kept.Cleanup())
	before := entries(t, userParent(tmp))

	list, err := tempfile.Scopes(tmp)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		label      string
		pid        int
		live, kept bool
		size       int64
	}
	got := map[string]row{}
	for _, s := range list {
		got[s.Path] = row{s.Label, s.PID, s.Live, s.Kept, s.Size}
		if time.Since(s.Created) > time.Minute || time.Since(s.Created) < 0 {
			t.Errorf("%s: created %v", s.Path, s.Created)
		}
	}
	want := map[string]row{
		dead.path:   {"child", dead.cmd.Process.Pid, false, false, 0},
		alive.path:  {"child", alive.cmd.Process.Pid, true, false, 0},
		mine.Path(): {"mine", os.Getpid(), true, false, 1000},
		kept.Path(): {"kept", os.Getpid(), false, true, 0},
	}
	if !maps.Equal(got, want) {
		t.Fatalf("Scopes:\n got %+v\nwant %+v", got, want)
	}
	if after := entries(t, userParent(tmp)); !slices.Equal(before, after) {
		t.Fatalf("Scopes changed the parent: %q -> %q", before, after)
	}
	// Listing took the dead scope's lock for an instant only.
	if removed, err := tempfile.Sweep(tmp); err != nil || !slices.Equal(removed, []string{dead.path}) {
		t.Fatalf("Sweep after Scopes = %q, %v", removed, err)
	}
	select {
	case <-mine.Done():
		t.Fatal("Done closed before Cleanup")
	default:
	}
	mustDo(t, mine.Cleanup())
	<-mine.Done()
}

func init() {
	// orphan: make a scope, clean it up, then do what a stray background
	// child of a build does: make the scope's directory again and write in
	// it. Print the path and exit.
	helpers["orphan"] = func() int {
		s, err := tempfile.NewScope("orphan")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if err := s.Cleanup(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		sub := filepath.Join(s.Path(), "out", "ro")
		if err := os.MkdirAll(sub, 0o700); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if err := os.WriteFile(filepath.Join(sub, "f"), []byte("late"), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		os.Chmod(sub, 0o500)
		fmt.Println(s.Path())
		return 0
	}
}

// TestSweepOrphan (issue 9 item 4): a scope's directory made again after
// its Cleanup, with neither lock file nor keep marker, is listed by Scopes
// as an orphan and removed by Sweep; live, stale, kept scopes and
// scope-shaped things that are no directories are told apart from it.
func TestSweepOrphan(t *testing.T) {
	tmp := privateTmp(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(cleanEnv(), helperEnv+"=orphan", "TMPDIR="+tmp)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("orphan child: %v", err)
	}
	orphan := strings.TrimSuffix(string(out), "\n")
	alive := startHolder(t, tmp)
	kept, err := tempfile.NewScope("kept")
	mustDo(t, err)
	kept.Keep()
	mustDo(t, kept.Cleanup())
	mine, err := tempfile.NewScope("mine")
	mustDo(t, err)
	defer mine.Cleanup()
	parent := userParent(tmp)
	// Shaped like a scope but not a directory: not a scope, left alone.
	notDir := filepath.Join(parent, "file.12.00000000000000000001")
	mustDo(t, os.WriteFile(notDir, nil, 0o600))
	mustDo(t, os.Symlink(t.TempDir(), filepath.Join(parent, "link.12.00000000000000000002")))

	list, err := tempfile.Scopes(tmp)
	mustDo(t, err)
	var orphans []tempfile.ScopeInfo
	for _, s := range list {
		if s.Orphan {
			orphans = append(orphans, s)
		}
	}
	if len(orphans) != 1 || len(list) != 4 {
		t.Fatalf("Scopes = %+v, want 4 scopes, one orphan", list)
	}
	o := orphans[0]
	if o.Path != orphan || o.Label != "orphan" || o.PID != cmd.Process.Pid || o.Live || o.Kept || o.Size != 4 {
		t.Fatalf("the orphan is listed as %+v", o)
	}
	if time.Since(o.Created) > time.Minute || time.Since(o.Created) < 0 {
		t.Errorf("orphan created %v", o.Created)
	}
	before := entries(t, parent)
	removed, err := tempfile.Sweep(tmp)
	if err != nil || !slices.Equal(removed, []string{orphan}) {
		t.Fatalf("Sweep = %q, %v; want the orphan %s", removed, err, orphan)
	}
	want := slices.DeleteFunc(before, func(n string) bool { return n == filepath.Base(orphan) })
	if after := entries(t, parent); !slices.Equal(after, want) {
		t.Fatalf("after Sweep the parent holds %q, want %q", after, want)
	}
	if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 0 {
		t.Fatalf("second Sweep = %q, %v", removed, err)
	}
	if _, err := os.Stat(alive.path); err != nil {
		t.Fatalf("live child's scope: %v", err)
	}
}

func init() {
	// keep-many: make scopes one after another, keeping every other one
	// and cleaning up the rest; print each kept scope's path, then wait
	// for stdin to close and exit.
	helpers["keep-many"] = func() int {
		for i := range 200 {
			s, err := tempfile.NewScope("k")
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			if i%2 == 0 {
				s.Keep()
				fmt.Println(s.Path())
			}
			if err := s.Cleanup(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		fmt.Println("done")
		io.Copy(io.Discard, os.Stdin)
		return 0
	}
}

// TestSweepOrphanRaces: while another process makes, keeps and cleans up
// scopes, Sweeps run without pause. A scope between its lock file's
// rename to the keep marker, or between its directory and its lock file
// in Cleanup, is never taken for an orphan: nothing is removed, every
// kept scope stays.
func TestSweepOrphanRaces(t *testing.T) {
	tmp := privateTmp(t)
	_, _, stdout := startChild(t, "keep-many", "TMPDIR="+tmp)
	stop := make(chan struct{})
	swept := make(chan []string)
	go func() {
		var all []string
		for {
			select {
			case <-stop:
				swept <- all
				return
			default:
			}
			removed, err := tempfile.Sweep(tmp)
			if err != nil {
				all = append(all, err.Error())
			}
			all = append(all, removed...)
		}
	}()
	var kept []string
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && lines.Text() != "done" {
		kept = append(kept, lines.Text())
	}
	close(stop)
	if all := <-swept; len(all) != 0 {
		t.Fatalf("Sweep removed or failed on %q", all)
	}
	if len(kept) != 100 {
		t.Fatalf("child kept %d scopes, want 100", len(kept))
	}
	for _, p := range kept {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("kept scope: %v", err)
		}
	}
}
