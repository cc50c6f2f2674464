package mgtemp_test

// End-to-end cases for the lifecycle under signals (issue 10 items 1-4
// and 10, issue 12 item 1), on the compiled lifecycle magefile and, for
// which process must get a signal, on mage's own driver and `go tool mage`.

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// finish collects what is left of stdout and waits, 60 s at most, for
// the process to end; one that does not end is killed and the test fails.
func (r *run) finish() ([]string, syscall.WaitStatus) {
	r.t.Helper()
	deadline := time.AfterFunc(60*time.Second, func() { r.cmd.Process.Kill() })
	var out []string
	for l := range r.lines {
		if p, found := strings.CutPrefix(l, "scope "); found {
			r.scope = p
		}
		out = append(out, l)
	}
	r.cmd.Wait()
	if !deadline.Stop() {
		r.t.Fatalf("still running after 60 s; killed. stderr:\n%s", r.stderr.String())
	}
	return out, r.cmd.ProcessState.Sys().(syscall.WaitStatus)
}

// collect reads stdout until it has seen n lines starting with "scope "
// and n "ready" lines, and returns the scopes.
func (r *run) collect(n int) []string {
	r.t.Helper()
	var scopes []string
	ready := 0
	timeout := time.After(60 * time.Second)
	for len(scopes) < n || ready < n {
		select {
		case l, ok := <-r.lines:
			if !ok {
				r.t.Fatalf("ended with %d scopes and %d ready lines of %d; stderr:\n%s", len(scopes), ready, n, r.stderr.String())
			}
			if p, found := strings.CutPrefix(l, "scope "); found {
				scopes = append(scopes, p)
			}
			if l == "ready" {
				ready++
			}
		case <-timeout:
			r.t.Fatalf("%d scopes and %d ready lines of %d in 60 s; stderr:\n%s", len(scopes), ready, n, r.stderr.String())
		}
	}
	return scopes
}

func diedOf(t *testing.T, ws syscall.WaitStatus, sig syscall.Signal, stderr string) {
	t.Helper()
	if !ws.Signaled() || ws.Signal() != sig {
		t.Fatalf("status %v (exited %v, code %d): want death by %v; stderr:\n%s", ws, ws.Exited(), ws.ExitStatus(), sig, stderr)
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// TestTermDuringCleanup (issue 10 item 1): a SIGTERM that lands while a
// scope's Cleanup runs still ends the process by SIGTERM; no later
// target (on the command line, or the next of mg.SerialDeps) starts, and
// -v logs the removal once. Several rounds: the landing point varies.
// The same for a scope of New whose deferred Cleanup (the program's own
// call) is what the signal lands in: that call must not return and let
// the next target run, or mage exit 0.
func TestTermDuringCleanup(t *testing.T) {
	skipOnWindows(t, "no SIGTERM on Windows")
	hits, rounds := 0, 0
	for round := range 3 {
		for _, args := range [][]string{{"bigclean", "next"}, {"chain"}, {"bigcleannew", "next"}, {"chainnew"}} {
			t.Run(fmt.Sprintf("%s/%d", strings.Join(args, "+"), round), func(t *testing.T) {
				tmp := privateTmp(t)
				r := start(t, tmp, nil, append([]string{"-v"}, args...)...)
				r.await("cleaning")
				rounds++
				if exists(r.scope) {
					hits++ // the Cleanup was still under way when the signal was sent
				}
				r.signal(syscall.SIGTERM)
				out, ws := r.finish()
				diedOf(t, ws, syscall.SIGTERM, r.stderr.String())
				for _, l := range out {
					if l == "next ran" {
						t.Fatalf("a target ran after SIGTERM; stdout %q", out)
					}
				}
				if n := strings.Count(r.stderr.String(), "removed scope "+r.scope+"\n"); n != 1 {
					t.Errorf("-v logged the removal %d times, want once:\n%s", n, r.stderr.String())
				}
				nothingLeft(t, tmp)
			})
		}
	}
	t.Logf("the signal landed during Cleanup in %d of %d rounds", hits, rounds)
	if rounds > 0 && hits == 0 {
		t.Fatal("no round sent SIGTERM while the Cleanup ran: the case tested nothing (make the scope bigger, FILES)")
	}
}

// TestInterruptDeps (issue 10 item 2): scopes of dependencies, whose ctx
// Ctrl-C never cancels, are removed by the watchdog the interrupt arms,
// while mage still waits out its 5 s.
func TestInterruptDeps(t *testing.T) {
	skipOnWindows(t, noCtrlC)
	for _, c := range []struct {
		target string
		scopes int
	}{{"depsignore", 2}, {"serialignore", 1}} {
		t.Run(c.target, func(t *testing.T) {
			tmp := privateTmp(t)
			r := start(t, tmp, nil, "-v", c.target)
			scopes := r.collect(c.scopes)
			sent := time.Now()
			r.signal(syscall.SIGINT)
			for _, s := range scopes {
				for exists(s) {
					if r.exited() {
						t.Fatalf("mage exited after %v with %s still there; stderr:\n%s", time.Since(sent), s, r.stderr.String())
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			if r.exited() {
				t.Fatal("the watchdog acted only after mage exited")
			}
			t.Logf("%d scope(s) removed %v after Ctrl-C", len(scopes), time.Since(sent).Round(time.Millisecond))
			exitCode(t, r.wait(), 1)
			nothingLeft(t, tmp)
		})
	}
}

// TestInterruptLateScope: a Ctrl-C that comes while no scope lives (an
// earlier dependency's has gone, the next one's is not made yet) still
// arms the watchdog for the scopes made after it: mage cancels nothing
// for mg.SerialDeps dependencies and exits 5 s after the Ctrl-C, so
// nothing else would remove them before the next run.
func TestInterruptLateScope(t *testing.T) {
	skipOnWindows(t, noCtrlC)
	tmp := privateTmp(t)
	r := start(t, tmp, nil, "-v", "latescope")
	r.await("waiting")
	r.signal(syscall.SIGINT)
	scope := strings.TrimPrefix(r.await("scope "), "scope ")
	exitCode(t, r.wait(), 1)
	if exists(scope) {
		t.Fatalf("the scope made after Ctrl-C outlived mage; stderr:\n%s", r.stderr.String())
	}
	nothingLeft(t, tmp)
}

// TestDerivedTimeout (issue 10 item 3): a target's own timeout context
// running out is no interrupt: the scope stays as long as the target
// uses it (past Grace), and goes when With returns.
func TestDerivedTimeout(t *testing.T) {
	tmp := privateTmp(t)
	r := start(t, tmp, nil, "timeout")
	out, ws := r.finish()
	if !ws.Exited() || ws.ExitStatus() != 0 {
		t.Fatalf("status %v; stdout %q; stderr:\n%s", ws, out, r.stderr.String())
	}
	if len(out) == 0 || out[len(out)-1] != "done" {
		t.Fatalf("stdout %q, want it to end with done", out)
	}
	nothingLeft(t, tmp)
}

// TestTwoStage (issue 10 item 4): a program that handles SIGTERM itself
// and says so (mgtemp.LeaveSignals) sees one SIGTERM, keeps its scope
// through its graceful shutdown, and ends as it chooses; the scope goes
// when With returns.
func TestTwoStage(t *testing.T) {
	skipOnWindows(t, "no SIGTERM on Windows")
	tmp := privateTmp(t)
	r := start(t, tmp, nil, "-v", "twostage")
	r.await("ready")
	r.signal(syscall.SIGTERM)
	out, ws := r.finish()
	if !ws.Exited() || ws.ExitStatus() != 0 {
		t.Fatalf("status %v; stdout %q; stderr:\n%s", ws, out, r.stderr.String())
	}
	if strings.Join(out, "|") != "graceful|shut down" {
		t.Fatalf("stdout after ready %q, want graceful, shut down (a second SIGTERM forces it out)", out)
	}
	nothingLeft(t, tmp)
}

// TestSweepOncePerProcess (issue 12 item 1): only the first With of a
// process sweeps; a killed run's scope is removed by the next run's first
// With, not by a later With of a process already running.
func TestSweepOncePerProcess(t *testing.T) {
	tmp := privateTmp(t)
	goOn := filepath.Join(t.TempDir(), "go-on")
	first := start(t, tmp, []string{"GO_ON=" + goOn}, "-v", "twoscopes")
	first.await("ready")

	killed := start(t, tmp, nil, "ignore")
	killed.await("ready")
	killed.signal(syscall.SIGKILL)
	killed.wait()
	mustExist(t, killed.scope)

	if err := os.WriteFile(goOn, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	exitCode(t, first.wait(), 0)
	mustExist(t, killed.scope) // the second With of the first run did not sweep
	if strings.Contains(first.stderr.String(), "swept") {
		t.Fatalf("a second With swept:\n%s", first.stderr.String())
	}

	next := start(t, tmp, nil, "-v", "ok")
	exitCode(t, next.wait(), 0)
	if !strings.Contains(next.stderr.String(), "swept stale scope "+killed.scope) {
		t.Errorf("the next run's first With did not say it swept %s:\n%s", killed.scope, next.stderr.String())
	}
	nothingLeft(t, tmp)
}

// Which process must get the signal (issue 10 item 10). Three ways to
// run a magefile: its -compile'd binary; mage's driver, which compiles
// it and runs the binary as a child (an installed mage); and
// `go tool mage`, the go command running that driver as its child. A
// terminal's Ctrl-C, and a CI runner's cancel, signal the whole process
// group; `kill PID` signals one process.

// driver finds mage's driver (`go tool -n mage`) and fills a fresh
// magefile cache with the compiled lifecycle magefile, so the cases that
// follow do not compile.
func driver(t *testing.T) (bin, cache string) {
	t.Helper()
	needBin(t, "lifecycle") // -short skips here too
	out, err := exec.Command("go", "tool", "-n", "mage").Output()
	if err != nil {
		t.Fatalf("go tool -n mage: %v", err)
	}
	bin, cache = strings.TrimSpace(string(out)), t.TempDir()
	cmd := exec.Command(bin, "-l")
	cmd.Dir = "testdata/lifecycle"
	cmd.Env = append(os.Environ(), "MAGEFILE_CACHE="+cache, "GOTMPDIR="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mage -l: %v\n%s", err, out)
	}
	return bin, cache
}

// startTree starts name args in dir as the leader of a new process group.
func startTree(t *testing.T, tmp, dir string, env []string, name string, args ...string) *run {
	t.Helper()
	r := &run{t: t, lines: make(chan string, 100)}
	r.cmd = exec.Command(name, args...)
	r.cmd.Dir = dir
	r.cmd.Env = append(baseEnv(), append([]string{"TMPDIR=" + tmp}, env...)...)
	r.cmd.Stderr = &r.stderr
	r.cmd.SysProcAttr = newGroup()
	out, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		killGroup(r.cmd.Process.Pid)
		r.cmd.Wait()
	})
	go func() {
		defer close(r.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			r.lines <- sc.Text()
		}
	}()
	return r
}

// TestWhichProcess measures, for each way of running a magefile, what a
// SIGTERM or Ctrl-C does when it goes to the process group and when it
// goes to the process started alone.
func TestWhichProcess(t *testing.T) {
	skipOnWindows(t, "no process groups, SIGTERM or Ctrl-C to send on Windows, and no Go toolchain under Wine")
	bin, cache := driver(t)
	lifecycle, err := filepath.Abs("testdata/lifecycle")
	if err != nil {
		t.Fatal(err)
	}
	launchers := []struct {
		name string
		argv []string
	}{
		{"compiled", []string{needBin(t, "lifecycle")}},
		{"mage", []string{bin}},
		{"go tool mage", []string{"go", "tool", "mage"}},
	}
	for _, l := range launchers {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
			for _, group := range []bool{true, false} {
				to := map[bool]string{true: "group", false: "alone"}[group]
				t.Run(l.name+"/"+sig.String()+"/"+to, func(t *testing.T) {
					tmp := privateTmp(t)
					env := []string{"MAGEFILE_CACHE=" + cache, "GOTMPDIR=" + t.TempDir()}
					r := startTree(t, tmp, lifecycle, env, l.argv[0], append(l.argv[1:], "pidhonour")...)
					pid, err := strconv.Atoi(strings.TrimPrefix(r.await("pid "), "pid "))
					if err != nil {
						t.Fatal(err)
					}
					r.await("ready")
					target := r.cmd.Process.Pid
					if group {
						target = -target
					}
					if err := signalPid(target, sig); err != nil {
						t.Fatal(err)
					}
					// Reaches the magefile's binary: the group, or the
					// binary itself.
					reached := group || l.name == "compiled"
					if reached {
						_, ws := r.finish()
						for alive(pid) {
							time.Sleep(20 * time.Millisecond)
						}
						if exists(r.scope) {
							t.Fatalf("the scope %s stayed; status %v; stderr:\n%s", r.scope, ws, r.stderr.String())
						}
						t.Logf("scope removed; %s ended with %v", l.name, ws)
						nothingLeft(t, tmp)
						return
					}
					// Not reached: the magefile's binary runs on with its
					// scope, whatever happens to its parents.
					// mage's driver swallows SIGINT and dies of SIGTERM
					// without passing either on; the go command passes
					// both on to the driver.
					if sig == syscall.SIGTERM {
						for !r.exited() {
							time.Sleep(20 * time.Millisecond)
						}
					} else {
						time.Sleep(time.Second)
						if r.exited() {
							t.Fatalf("%s ended on a SIGINT of its own; stderr:\n%s", l.name, r.stderr.String())
						}
					}
					if !alive(pid) || !exists(r.scope) {
						t.Fatalf("the magefile's binary (pid %d) was reached: alive %v, scope there %v", pid, alive(pid), exists(r.scope))
					}
					t.Logf("the magefile's binary runs on with its scope; %s ended: %v", l.name, r.exited())
					// Now reach it: its scope goes.
					signalPid(pid, syscall.SIGTERM)
					for alive(pid) {
						time.Sleep(20 * time.Millisecond)
					}
					_, ws := r.finish()
					t.Logf("%s then ended with %v", l.name, ws)
					nothingLeft(t, tmp)
				})
			}
		}
	}
}

// TestTermNested: SIGTERM removes every live scope, a scope within a
// scope too, each logged once, and the process dies of it.
func TestTermNested(t *testing.T) {
	skipOnWindows(t, "no SIGTERM on Windows")
	tmp := privateTmp(t)
	r := start(t, tmp, nil, "-v", "nested")
	r.await("ready")
	r.signal(syscall.SIGTERM)
	_, ws := r.finish()
	diedOf(t, ws, syscall.SIGTERM, r.stderr.String())
	var scopes []string
	for _, l := range strings.Split(r.stderr.String(), "\n") {
		if p, ok := strings.CutPrefix(l, "mgtemp: created scope "); ok {
			scopes = append(scopes, p)
		}
	}
	if len(scopes) != 2 {
		t.Fatalf("-v logged %d created scopes, want 2:\n%s", len(scopes), r.stderr.String())
	}
	for _, s := range scopes {
		if n := strings.Count(r.stderr.String(), "removed scope "+s+"\n"); n != 1 {
			t.Errorf("-v logged the removal of %s %d times, want once:\n%s", s, n, r.stderr.String())
		}
	}
	nothingLeft(t, tmp)
}

// plain builds testdata/lifecycle/plain, a program that uses mgtemp
// outside mage.
func plain(t *testing.T) string {
	t.Helper()
	needBin(t, "lifecycle") // -short skips here too
	bin := filepath.Join(t.TempDir(), "plain")
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/lifecycle/plain").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestPlainProgram: outside mage, Ctrl-C keeps its default action (the
// program dies of it at once; the scope is left to a later sweep) — also
// with mage's MAGEFILE_VERBOSE inherited from a mage run above it — and
// a SIGTERM that lands during With's Cleanup, in a program that exits 0
// as soon as With returns, still ends it by SIGTERM.
func TestPlainProgram(t *testing.T) {
	skipOnWindows(t, "no SIGINT or SIGTERM to send to one process on Windows")
	bin := plain(t)
	for _, env := range [][]string{nil, {"MAGEFILE_VERBOSE=0"}} {
		t.Run("interrupt/"+strings.Join(env, ""), func(t *testing.T) {
			tmp := privateTmp(t)
			r := startWith(t, tmp, env, bin, "wait")
			r.await("ready")
			r.signal(syscall.SIGINT)
			_, ws := r.finish()
			diedOf(t, ws, syscall.SIGINT, r.stderr.String())
			mustExist(t, r.scope)
		})
	}
	hits := 0
	for round := range 3 {
		t.Run(fmt.Sprintf("term during cleanup/%d", round), func(t *testing.T) {
			tmp := privateTmp(t)
			r := startWith(t, tmp, nil, bin, "return")
			r.await("cleaning")
			if exists(r.scope) {
				hits++
			}
			r.signal(syscall.SIGTERM)
			_, ws := r.finish()
			diedOf(t, ws, syscall.SIGTERM, r.stderr.String())
			nothingLeft(t, tmp)
		})
	}
	if hits == 0 {
		t.Fatal("no round sent SIGTERM while the Cleanup ran: the case tested nothing")
	}
}

// TestTermBrokenPipe: a SIGTERM that comes once the reader of mage's
// output is gone (`mage -v build 2>&1 | tee log`, and the group's
// SIGTERM ended tee first) still removes the scopes: mgtemp's -v lines
// must not end the process by SIGPIPE before it has removed them.
func TestTermBrokenPipe(t *testing.T) {
	skipOnWindows(t, "no SIGTERM or SIGPIPE on Windows")
	tmp := privateTmp(t)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(needBin(t, "lifecycle"), "-v", "nested")
	cmd.Env = append(baseEnv(), "TMPDIR="+tmp)
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pw.Close()
	sc := bufio.NewScanner(pr)
	for sc.Scan() && sc.Text() != "ready" {
	}
	pr.Close() // the reader is gone
	cmd.Process.Signal(syscall.SIGTERM)
	deadline := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	cmd.Wait()
	if !deadline.Stop() {
		t.Fatal("still running after 60 s; killed")
	}
	diedOf(t, cmd.ProcessState.Sys().(syscall.WaitStatus), syscall.SIGTERM, "(stderr was the closed pipe)")
	nothingLeft(t, tmp)
}
