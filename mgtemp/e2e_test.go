package mgtemp_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// run is one run of a compiled test magefile in a private TMPDIR.
type run struct {
	t      *testing.T
	cmd    *exec.Cmd
	lines  chan string // stdout, line by line
	stderr bytes.Buffer
	scope  string // from the "scope <path>" line
}

// start runs the lifecycle magefile with args, TMPDIR=tmp and extra env.
func start(t *testing.T, tmp string, env []string, args ...string) *run {
	t.Helper()
	return startWith(t, tmp, env, needBin(t, "lifecycle"), args...)
}

// startWith runs the command name args likewise.
func startWith(t *testing.T, tmp string, env []string, name string, args ...string) *run {
	t.Helper()
	r := &run{t: t, lines: make(chan string, 100)}
	r.cmd = exec.Command(name, args...)
	r.cmd.Env = append(baseEnv(), append([]string{"TMPDIR=" + tmp}, env...)...)
	r.cmd.Stderr = &r.stderr
	out, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.cmd.Process.Kill()
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

// await reads stdout until a line starting with want, and returns it.
func (r *run) await(want string) string {
	r.t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-r.lines:
			if !ok {
				r.t.Fatalf("no %q line before exit; stderr:\n%s", want, r.stderr.String())
			}
			if p, found := strings.CutPrefix(l, "scope "); found {
				r.scope = p
			}
			if strings.HasPrefix(l, want) {
				return l
			}
		case <-timeout:
			r.t.Fatalf("no %q line in 60 s; stderr:\n%s", want, r.stderr.String())
		}
	}
}

// wait waits, 30 s at most, for the process to end and returns its
// status; a process that does not end is killed and the test fails.
func (r *run) wait() syscall.WaitStatus {
	r.t.Helper()
	deadline := time.AfterFunc(30*time.Second, func() { r.cmd.Process.Kill() })
	for range r.lines { // drain, noting the scope
	}
	r.cmd.Wait()
	if !deadline.Stop() {
		r.t.Fatalf("still running after 30 s; killed. stderr:\n%s", r.stderr.String())
	}
	return r.cmd.ProcessState.Sys().(syscall.WaitStatus)
}

// exited reports whether the process has ended, without reaping it.
func (r *run) exited() bool { r.t.Helper(); return processExited(r.t, r.cmd.Process) }

func (r *run) signal(sig syscall.Signal) {
	r.t.Helper()
	if err := r.cmd.Process.Signal(sig); err != nil {
		r.t.Fatal(err)
	}
}

// baseEnv is the environment without TMPDIR and mgtemp's variables.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "TMPDIR", "TEMP", "TMP", "MGTEMP_KEEP", "MAGEFILE_VERBOSE", "MAGEFILE_TIMEOUT":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// privateTmp is a fresh TMPDIR for one case.
func privateTmp(t *testing.T) string {
	t.Helper()
	return t.TempDir()
}

// userParent is this user's parent of scopes in tmp, mgtemp-<uid>: the
// one place the tests spell it.
func userParent(tmp string) string {
	return filepath.Join(tmp, "mgtemp-"+parentOwner())
}

// scopesIn lists what is left in tmp's per-user parent; anything else
// in tmp is a failure too.
func scopesIn(t *testing.T, tmp string) []string {
	t.Helper()
	top, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	parentName := filepath.Base(userParent(tmp))
	var left []string
	for _, e := range top {
		if e.Name() != parentName {
			left = append(left, e.Name())
			continue
		}
		inner, err := os.ReadDir(filepath.Join(tmp, parentName))
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range inner {
			left = append(left, filepath.Join(parentName, i.Name()))
		}
	}
	return left
}

// nothingLeft fails unless tmp holds no scope (the empty per-user parent
// may stay: removing it would race with other processes making scopes).
func nothingLeft(t *testing.T, tmp string) {
	t.Helper()
	if left := scopesIn(t, tmp); len(left) != 0 {
		t.Fatalf("left in TMPDIR: %q", left)
	}
}

func mustExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("%s should exist: %v", path, err)
	}
}

func exitCode(t *testing.T, ws syscall.WaitStatus, want int) {
	t.Helper()
	if !ws.Exited() || ws.ExitStatus() != want {
		t.Fatalf("status %v (exited %v, code %d, signal %v), want exit %d", ws, ws.Exited(), ws.ExitStatus(), ws.Signal(), want)
	}
}

// TestLifecycleEnds: return, error and panic remove the scope at once.
func TestLifecycleEnds(t *testing.T) {
	cases := []struct {
		target string
		code   int
		label  string
	}{
		{"ok", 0, "ok"},
		{"fail", 1, "fail"},
		{"panic", 1, "panic"},
		{"deferred", 0, "deferred"},
		{"build", 0, "ok"}, // Ok as a dependency of Build
		{"docker:push", 0, "docker:push"},
		{"helped", 0, "helped"}, // With called from a helper of the target
	}
	for _, c := range cases {
		t.Run(c.target, func(t *testing.T) {
			tmp := privateTmp(t)
			r := start(t, tmp, nil, c.target)
			r.await("scope ")
			exitCode(t, r.wait(), c.code)
			// On disk a ':' becomes '_' (it would break PATH-like lists).
			onDisk := strings.ReplaceAll(c.label, ":", "_")
			if !strings.HasPrefix(filepath.Base(r.scope), onDisk+"."+strconv.Itoa(r.cmd.Process.Pid)+".") {
				t.Errorf("scope %s not labelled %q with the pid", r.scope, c.label)
			}
			nothingLeft(t, tmp)
		})
	}
}

// TestInterrupt: Ctrl-C removes the scope at once when the target honours
// ctx, and within mage's 5 s grace, by the watchdog, when it does not.
func TestInterrupt(t *testing.T) {
	skipOnWindows(t, noCtrlC)
	t.Run("honours ctx", func(t *testing.T) {
		tmp := privateTmp(t)
		r := start(t, tmp, nil, "honour")
		r.await("ready")
		mustExist(t, r.scope)
		r.signal(syscall.SIGINT)
		exitCode(t, r.wait(), 1)
		nothingLeft(t, tmp)
	})
	t.Run("New honours ctx", func(t *testing.T) {
		tmp := privateTmp(t)
		r := start(t, tmp, []string{"WAIT=1"}, "deferred")
		r.await("ready")
		r.signal(syscall.SIGINT)
		r.wait()
		nothingLeft(t, tmp)
	})
	t.Run("ignores ctx", func(t *testing.T) {
		tmp := privateTmp(t)
		r := start(t, tmp, nil, "ignore")
		r.await("ready")
		sent := time.Now()
		r.signal(syscall.SIGINT)
		// The scope must go while mage is still waiting out its 5 s.
		for {
			if _, err := os.Lstat(r.scope); os.IsNotExist(err) {
				break
			}
			if r.exited() {
				t.Fatalf("mage exited after %v with the scope still there", time.Since(sent))
			}
			time.Sleep(20 * time.Millisecond)
		}
		if r.exited() {
			t.Fatal("the watchdog acted only after mage exited")
		}
		t.Logf("watchdog removed the scope %v after Ctrl-C", time.Since(sent).Round(time.Millisecond))
		exitCode(t, r.wait(), 1)
		if !strings.Contains(r.stderr.String(), "cleanup timeout exceeded") {
			t.Errorf("mage did not wait out its grace:\n%s", r.stderr.String())
		}
		nothingLeft(t, tmp)
	})
}

// TestTermHup: mage handles neither; mgtemp's handler removes the scope
// and the process still dies of the signal.
func TestTermHup(t *testing.T) {
	skipOnWindows(t, "no SIGTERM or SIGHUP on Windows")
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		for _, target := range []string{"ignore", "honour"} {
			t.Run(sig.String()+"/"+target, func(t *testing.T) {
				tmp := privateTmp(t)
				r := start(t, tmp, nil, target)
				r.await("ready")
				mustExist(t, r.scope)
				r.signal(sig)
				diedOf(t, r.wait(), sig, r.stderr.String())
				nothingLeft(t, tmp)
			})
		}
	}
}

// TestHandlerGone: once the last scope has ended, SIGTERM finds the
// default action again and kills mage as it always would.
func TestHandlerGone(t *testing.T) {
	skipOnWindows(t, "no SIGTERM on Windows")
	tmp := privateTmp(t)
	r := start(t, tmp, nil, "-v", "after")
	r.await("ready")
	nothingLeft(t, tmp)
	r.signal(syscall.SIGTERM)
	diedOf(t, r.wait(), syscall.SIGTERM, r.stderr.String()) // the default action, once the scope has ended
	// A handler left behind would die the same way, after logging its
	// removal under -v: the default action leaves no such line.
	if strings.Contains(r.stderr.String(), "removing") {
		t.Fatalf("mgtemp's handler caught SIGTERM after the scope ended:\n%s", r.stderr.String())
	}
}

// TestNohup: a SIGHUP the process was told to ignore stays ignored: no
// handler is installed for it, the target and its scope carry on.
func TestNohup(t *testing.T) {
	skipOnWindows(t, "no SIGHUP or nohup on Windows")
	nohup, err := exec.LookPath("nohup")
	if err != nil {
		t.Skip("no nohup here")
	}
	tmp := privateTmp(t)
	r := startWith(t, tmp, nil, nohup, needBin(t, "lifecycle"), "honour")
	r.await("ready")
	r.signal(syscall.SIGHUP)
	time.Sleep(300 * time.Millisecond)
	if r.exited() {
		t.Fatalf("an ignored SIGHUP ended the run: %s", r.stderr.String())
	}
	mustExist(t, r.scope)
	r.signal(syscall.SIGINT)
	exitCode(t, r.wait(), 1)
	nothingLeft(t, tmp)
}

// TestLeftoversSwept: after -t, a second Ctrl-C or kill -9 the scope is
// left, and the next With (or tmp:clean) removes it.
func TestLeftoversSwept(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		abort func(r *run)
	}{
		{"kill -9", []string{"ignore"}, func(r *run) { r.signal(syscall.SIGKILL) }},
		{"second Ctrl-C", []string{"ignore"}, func(r *run) {
			r.signal(syscall.SIGINT)
			time.Sleep(200 * time.Millisecond)
			r.signal(syscall.SIGINT)
		}},
		{"-t 1s", []string{"-t", "1s", "ignore"}, func(*run) {}},
	}
	for _, c := range cases {
		for _, by := range []string{"next target", "tmp:clean"} {
			t.Run(c.name+"/"+by, func(t *testing.T) {
				if c.name == "second Ctrl-C" {
					skipOnWindows(t, noCtrlC)
				}
				tmp := privateTmp(t)
				r := start(t, tmp, nil, c.args...)
				r.await("ready")
				c.abort(r)
				r.wait()
				mustExist(t, r.scope) // left behind: the process died first
				next := start(t, tmp, nil, strings.Fields(map[string]string{"next target": "ok", "tmp:clean": "tmp:clean"}[by])...)
				if by == "tmp:clean" {
					if got := next.await(filepath.VolumeName(tmp) + string(os.PathSeparator)); got != r.scope { // an absolute path
						t.Fatalf("tmp:clean printed %q, want %q", got, r.scope)
					}
				}
				exitCode(t, next.wait(), 0)
				nothingLeft(t, tmp)
			})
		}
	}
}

// TestKeep: MGTEMP_KEEP=1 keeps the scope, says where, and later runs
// never sweep it.
func TestKeep(t *testing.T) {
	tmp := privateTmp(t)
	r := start(t, tmp, []string{"MGTEMP_KEEP=1"}, "ok")
	r.await("scope ")
	exitCode(t, r.wait(), 0)
	if !strings.Contains(r.stderr.String(), r.scope) {
		t.Fatalf("stderr does not name the kept scope %s:\n%s", r.scope, r.stderr.String())
	}
	mustExist(t, filepath.Join(r.scope))
	for _, args := range [][]string{{"ok"}, {"tmp:clean"}} {
		exitCode(t, start(t, tmp, nil, args...).wait(), 0)
		mustExist(t, r.scope)
	}
	list := start(t, tmp, nil, "tmp:list")
	row := list.await("ok ")
	if f := strings.Fields(row); len(f) != 6 || f[2] != "kept" || f[5] != r.scope {
		t.Fatalf("tmp:list row %q: want the kept scope", row)
	}
	list.wait()
}

// TestVerbose: mage -v logs each scope's creation and removal.
func TestVerbose(t *testing.T) {
	tmp := privateTmp(t)
	r := start(t, tmp, nil, "-v", "ok")
	r.await("scope ")
	exitCode(t, r.wait(), 0)
	for _, want := range []string{"created scope " + r.scope, "removed scope " + r.scope} {
		if !strings.Contains(r.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr.String())
		}
	}
	quiet := start(t, tmp, nil, "ok")
	quiet.await("scope ")
	quiet.wait()
	if strings.Contains(quiet.stderr.String(), "mgtemp") {
		t.Errorf("without -v, mgtemp logged:\n%s", quiet.stderr.String())
	}
}

// TestList: tmp:list shows live and stale scopes in aligned columns;
// tmp:clean removes the stale one only and names it.
func TestList(t *testing.T) {
	tmp := privateTmp(t)
	// The live run starts first: every run's first With sweeps, and would take the
	// killed run's scope if it started after.
	live := start(t, tmp, nil, "honour")
	live.await("ready")
	killed := start(t, tmp, nil, "ignore")
	killed.await("ready")
	killed.signal(syscall.SIGKILL)
	killed.wait()

	list := start(t, tmp, nil, "tmp:list")
	var rows []string
	for l := range list.lines {
		rows = append(rows, l)
	}
	exitCode(t, list.wait(), 0)
	if len(rows) != 3 {
		t.Fatalf("tmp:list printed %d lines, want a header and 2 rows:\n%s", len(rows), strings.Join(rows, "\n"))
	}
	// Aligned: every column starts at the same offset in every row.
	header := rows[0]
	for _, col := range []string{"TARGET", "PID", "STATE", "AGE", "SIZE", "PATH"} {
		at := strings.Index(header, col)
		if at < 0 {
			t.Fatalf("header %q lacks %s", header, col)
		}
		for _, row := range rows[1:] {
			if at > 0 && (row[at-1] != ' ' || row[at] == ' ') {
				t.Errorf("column %s not aligned in %q", col, row)
			}
		}
	}
	want := map[string][]string{
		killed.scope: {"ignore", strconv.Itoa(killed.cmd.Process.Pid), "stale"},
		live.scope:   {"honour", strconv.Itoa(live.cmd.Process.Pid), "live"},
	}
	for _, row := range rows[1:] {
		f := strings.Fields(row)
		w, ok := want[f[len(f)-1]]
		if !ok || f[0] != w[0] || f[1] != w[1] || f[2] != w[2] {
			t.Errorf("row %q, want %v for %s", row, w, f[len(f)-1])
		}
		if !strings.HasSuffix(f[4], "B") {
			t.Errorf("row %q: size %q has no unit", row, f[4])
		}
	}

	clean := start(t, tmp, nil, "tmp:clean")
	var out []string
	for l := range clean.lines {
		out = append(out, l)
	}
	exitCode(t, clean.wait(), 0)
	if len(out) != 1 || out[0] != killed.scope {
		t.Fatalf("tmp:clean printed %q, want only %s", out, killed.scope)
	}
	mustExist(t, live.scope)
	t.Run("Ctrl-C ends the live run", func(t *testing.T) {
		skipOnWindows(t, noCtrlC)
		live.signal(syscall.SIGINT)
		live.wait()
		nothingLeft(t, tmp)
	})
}

// TestListOnlyTmpTargets: mage-importing mgtemp adds the tmp: targets and
// nothing else.
func TestListOnlyTmpTargets(t *testing.T) {
	out, err := exec.Command(needBin(t, "importonly"), "-l").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var targets []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "  ") {
			targets = append(targets, strings.Fields(l)[0])
		}
	}
	want := []string{"tmp:clean", "tmp:dir", "tmp:file", "tmp:list", "tmp:name", "tmp:run"}
	if strings.Join(targets, " ") != strings.Join(want, " ") {
		t.Fatalf("mage -l lists %q, want exactly %q", targets, want)
	}
}
