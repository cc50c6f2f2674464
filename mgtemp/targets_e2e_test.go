package mgtemp_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestNamespacedTargetOnPath: a namespaced target (tools:install) that
// puts a bin directory from its scope on PATH runs a tool from it. A ':'
// in the scope's directory name (tools:install.<pid>.<digits>) splits
// the PATH entry in two, and the tool is not found.
func TestNamespacedTargetOnPath(t *testing.T) {
	bin := needBin(t, "targets")
	tmp := privateTmp(t)
	r := startWith(t, tmp, nil, bin, "tools:install")
	r.await("scope ")
	if got := r.await("tool"); got != "tool ran" {
		t.Fatalf("stdout %q, want the tool's output", got)
	}
	exitCode(t, r.wait(), 0)
	if strings.ContainsAny(filepath.Base(r.scope), ":;") {
		t.Errorf("scope directory %s holds a PATH list separator", r.scope)
	}
	nothingLeft(t, tmp)
}

// TestLabelsAsMagePrints: a scope's label, as tmp:list shows it, is the
// target's name exactly as `mage -l` prints it: mixed case kept
// (test:e2eCerts, not test:e2ecerts) and an import alias included
// (t:tmp:run).
func TestLabelsAsMagePrints(t *testing.T) {
	bin := needBin(t, "targets")
	tmp := privateTmp(t)
	keep := []string{"MGTEMP_KEEP=1"}
	for _, args := range [][]string{{"test:e2eCerts"}, {"buildhttpserver"}, {"T:Tmp:Run", trueCommand}} {
		exitCode(t, startWith(t, tmp, keep, bin, args...).wait(), 0)
	}
	list := startWith(t, tmp, nil, bin, "t:tmp:list", "-json")
	var out strings.Builder
	for l := range list.lines {
		out.WriteString(l + "\n")
	}
	exitCode(t, list.wait(), 0)
	var rows []struct{ Label, State, Path string }
	if err := json.Unmarshal([]byte(out.String()), &rows); err != nil {
		t.Fatalf("t:tmp:list -json: %v\n%s", err, out.String())
	}
	var labels []string
	for _, r := range rows {
		labels = append(labels, r.Label)
	}
	want := []string{"buildHTTPServer", "t:tmp:run", "test:e2eCerts"}
	if strings.Join(labels, " ") != strings.Join(want, " ") {
		t.Fatalf("labels %q, want %q (sorted)", labels, want)
	}
	l, err := exec.Command(bin, "-l").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, l)
	}
	var listed []string
	for _, line := range strings.Split(string(l), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(line, "  ") {
			listed = append(listed, f[0])
		}
	}
	for _, w := range want {
		if !slices.Contains(listed, w) {
			t.Errorf("label %q is not a name mage -l prints: %q", w, listed)
		}
	}
	clean := startWith(t, tmp, nil, bin, "t:tmp:clean", "-kept")
	exitCode(t, clean.wait(), 0)
	nothingLeft(t, tmp)
}

// TestAliasedHelp: with `//mage:import t` the targets are t:tmp:…, and
// their help names no target by its unaliased name.
func TestAliasedHelp(t *testing.T) {
	bin := needBin(t, "targets")
	for _, target := range []string{"t:tmp:name", "t:tmp:file", "t:tmp:dir", "t:tmp:run", "t:tmp:list", "t:tmp:clean"} {
		out, err := exec.Command(bin, "-h", target).CombinedOutput()
		if err != nil {
			t.Fatalf("-h %s: %v\n%s", target, err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			for _, f := range strings.Fields(line) {
				if strings.HasPrefix(strings.Trim(f, "`'\"(),.:"), "tmp:") {
					t.Errorf("-h %s says %q: that target is %s here", target, line, "t:"+strings.Trim(f, "`'\"(),.:"))
				}
			}
		}
	}
}

// runStart runs `tmp:run cmdline` in the importonly magefile; the command
// line announces its pid and TMPDIR.
func runStart(t *testing.T, tmp, cmdline string) (r *run, child int, scope string) {
	t.Helper()
	r = startWith(t, tmp, nil, needBin(t, "importonly"), "tmp:run", `echo "pid $$"; echo "tmp $TMPDIR"; `+cmdline)
	child, err := strconv.Atoi(strings.TrimPrefix(r.await("pid "), "pid "))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killPid(child) })
	scope = strings.TrimPrefix(r.await("tmp "), "tmp ")
	mustExist(t, scope)
	return r, child, scope
}

// TestRunSignals: SIGTERM or SIGINT sent to mage reaches tmp:run's
// command once; the command ends, its scope is removed, and mage exits
// with the command's status (128+N when the signal killed it).
func TestRunSignals(t *testing.T) {
	skipOnWindows(t, "no SIGTERM or SIGHUP on Windows, and no Ctrl-C to send to one process")
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGTERM, 128 + 15}, {syscall.SIGINT, 128 + 2}, {syscall.SIGHUP, 128 + 1}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			tmp := privateTmp(t)
			r, child, _ := runStart(t, tmp, "echo ready; exec sleep 1000")
			r.await("ready")
			r.signal(c.sig)
			exitCode(t, r.wait(), c.code)
			if !processGone(child) {
				t.Errorf("the command (pid %d) outlived tmp:run", child)
			}
			nothingLeft(t, tmp)
		})
	}
	t.Run("handled once", func(t *testing.T) {
		tmp := privateTmp(t)
		r, _, _ := runStart(t, tmp, `n=0; trap 'n=$((n+1)); echo "got $n"' TERM; echo ready; while [ $n = 0 ]; do sleep 0.05; done; sleep 0.3; exit $n`)
		r.await("ready")
		r.signal(syscall.SIGTERM)
		r.await("got 1")
		exitCode(t, r.wait(), 1) // exit $n: the trap ran once
		nothingLeft(t, tmp)
	})
}

// TestRunKilled: a tmp:run killed with SIGKILL leaves its scope, and the
// next tmp:clean removes it.
func TestRunKilled(t *testing.T) {
	skipOnWindows(t, "its command line is a POSIX shell script (exec sleep, $$)")
	tmp := privateTmp(t)
	r, child, scope := runStart(t, tmp, "echo ready; exec sleep 1000")
	r.await("ready")
	r.signal(syscall.SIGKILL)
	// The orphaned command holds mage's stdout and stderr open: it goes
	// first, or reading them to the end would never end.
	killPid(child)
	r.wait()
	mustExist(t, scope)
	clean := startWith(t, tmp, nil, needBin(t, "importonly"), "tmp:clean")
	if got := clean.await("/"); got != scope {
		t.Fatalf("tmp:clean printed %q, want %q", got, scope)
	}
	exitCode(t, clean.wait(), 0)
	nothingLeft(t, tmp)
}

// TestNoUsableTmpDir: when no candidate temp directory can take a file,
// the error is one line that says why each was rejected. It runs in a
// mount namespace of its own where /tmp and /var/tmp are read-only.
func TestNoUsableTmpDir(t *testing.T) {
	skipOnWindows(t, "it makes /tmp and /var/tmp read-only in a Linux mount namespace")
	if os.Geteuid() != 0 {
		t.Skip("needs root for a mount namespace")
	}
	bin := needBin(t, "importonly")
	missing := filepath.Join(t.TempDir(), "missing")
	// The binary is under /tmp, which the namespace hides: it runs from
	// an open descriptor.
	script := `exec 3<"$BIN" && mount --make-rprivate / && mount -t tmpfs -o ro tmpfs /tmp && mount -t tmpfs -o ro tmpfs /var/tmp && cd /tmp && exec /proc/self/fd/3 tmp:file`
	cmd := exec.Command("sh", "-c", script)
	cmd.Env = append(baseEnv(), "BIN="+bin, "TMPDIR="+missing)
	cmd.SysProcAttr = newMountNamespace(t)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("tmp:file succeeded with no usable directory:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 1 || lines[0] == "" {
		t.Fatalf("want one line, got: %v\n%s", err, out)
	}
	for _, want := range []string{"Error: tmp:file: " + missing + "/",
		"TMPDIR " + missing + ": no such file or directory",
		"default /tmp: read-only file system", "default /var/tmp: read-only file system",
		"default /usr/tmp: ", "working directory /tmp: read-only file system"} {
		if _, err := os.Stat("/usr/tmp"); want == "default /usr/tmp: " && err != nil {
			want += "no such file or directory"
		}
		if !strings.Contains(lines[0], want) {
			t.Errorf("error lacks %q:\n%s", want, lines[0])
		}
	}
}

// TestVerboseTmpDirChoice: a target's With under mage -v says which
// temporary directory was chosen and why $TMPDIR was skipped; without
// -v an unusable TMPDIR stays silent.
func TestVerboseTmpDirChoice(t *testing.T) {
	tmp := privateTmp(t)
	missing := filepath.Join(tmp, "missing")
	aFile := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(aFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := start(t, missing, []string{"TEMP=" + aFile, "TMP=" + tmp}, "-v", "ok")
	r.await("scope ")
	exitCode(t, r.wait(), 0)
	want := []string{
		"mgtemp: skipped temp directory TMPDIR " + missing + ": " + errNoEntry.Error() + "\n",
		"mgtemp: skipped temp directory TEMP " + aFile + ": " + errNotDir.Error() + "\n",
		"mgtemp: temp directory " + tmp + "\n",
		"mgtemp: created scope " + tmp + string(os.PathSeparator),
	}
	got := r.stderr.String()
	at := 0
	for _, w := range want {
		i := strings.Index(got[at:], w)
		if i < 0 {
			t.Fatalf("stderr lacks %q (in this order):\n%s", w, got)
		}
		at += i + len(w)
	}
	if n := strings.Count(got, "mgtemp: temp directory"); n != 1 {
		t.Errorf("the choice is logged %d times, want once:\n%s", n, got)
	}
	quiet := start(t, missing, []string{"TEMP=" + aFile, "TMP=" + tmp}, "ok")
	quiet.await("scope ")
	exitCode(t, quiet.wait(), 0)
	if s := quiet.stderr.String(); s != "" {
		t.Errorf("without -v, stderr: %s", s)
	}
	nothingLeft(t, tmp)
}

// TestRunNohup: a SIGHUP the process was told to ignore (nohup) stays
// ignored by tmp:run and its command, which carries on.
func TestRunNohup(t *testing.T) {
	skipOnWindows(t, "no SIGHUP or nohup on Windows")
	nohup, err := exec.LookPath("nohup")
	if err != nil {
		t.Skip("no nohup here")
	}
	tmp := privateTmp(t)
	r := startWith(t, tmp, nil, nohup, needBin(t, "importonly"), "tmp:run", `trap 'echo got HUP' HUP; echo ready; sleep 0.5; echo done`)
	r.await("ready")
	r.signal(syscall.SIGHUP)
	for l := range r.lines {
		if l == "got HUP" {
			t.Errorf("the command got the SIGHUP that nohup ignores")
		}
	}
	exitCode(t, r.wait(), 0)
	nothingLeft(t, tmp)
}
