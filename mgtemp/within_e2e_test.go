package mgtemp_test

// End-to-end cases for issue 13: WithIn's scopes in a directory of the
// build's choosing, and Env giving a child tool (`go build`) the scope
// as its temp directory, through a compiled magefile (testdata/within).

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/magefile/mage/mage"
)

// withinBin compiles testdata/within for one test (it is not among
// TestMain's magefiles, so that adding it touched no shared file).
func withinBin(t *testing.T) string {
	t.Helper()
	if bin, ok := bins["within"]; ok { // compiled for Windows beforehand
		return bin
	}
	needBin(t, "lifecycle") // -short skips here too
	out := filepath.Join(t.TempDir(), "within")
	var buf bytes.Buffer
	if rc := mage.Invoke(mage.Invocation{
		Dir: filepath.Join("testdata", "within"), CompileOut: out,
		Stdout: &buf, Stderr: &buf,
	}); rc != 0 {
		t.Fatalf("compiling testdata/within: exit %d\n%s", rc, buf.Bytes())
	}
	return out
}

// TestWithIn: WithIn's scope is under dir/mgtemp-<uid>/, nothing goes to
// TMPDIR, and the scope is removed when the target returns; after a
// SIGKILL its scope stays, and the next run's WithIn in the same dir
// sweeps it (With's sweep of TMPDIR does not reach it).
func TestWithIn(t *testing.T) {
	bin := withinBin(t)
	tmp, dir := privateTmp(t), t.TempDir()
	parent := userParent(dir)

	r := startWith(t, tmp, nil, bin, "in", dir)
	r.await("scope ")
	exitCode(t, r.wait(), 0)
	if filepath.Dir(r.scope) != parent {
		t.Fatalf("scope %q, want it in %s", r.scope, parent)
	}
	if exists(r.scope) {
		t.Fatalf("scope %s left after the target returned", r.scope)
	}
	nothingLeft(t, tmp)
	nothingLeft(t, dir)

	killed := startTree(t, tmp, "", nil, bin, "inWait", dir)
	killed.await("ready")
	killGroup(killed.cmd.Process.Pid)
	killed.wait()
	mustExist(t, killed.scope)

	other := startWith(t, tmp, nil, bin, "ok") // With: sweeps TMPDIR only
	exitCode(t, other.wait(), 0)
	mustExist(t, killed.scope)

	next := startWith(t, tmp, nil, bin, "in", dir)
	next.await("scope ")
	exitCode(t, next.wait(), 0)
	if exists(killed.scope) {
		t.Fatalf("the killed run's scope %s is still there after the next WithIn in %s", killed.scope, dir)
	}
	nothingLeft(t, dir)
	nothingLeft(t, tmp)
}

// TestEnvGoBuildKilled: a target runs `go build` (private GOCACHE, so it
// compiles and its $WORK, go-build*, fills) and is SIGKILLed with its
// whole process group mid-build, as a CI cancel does; then one more run
// of a With target. With tmp.Env() the child's go-build* directory was in
// the scope, and that run's sweep removed it: 0 bytes left. Without Env
// it was in the build's TMPDIR, and stays there.
func TestEnvGoBuildKilled(t *testing.T) {
	skipOnWindows(t, "its target runs go build, and no Go toolchain runs under Wine; it kills a process group")
	bin := withinBin(t)
	src := t.TempDir()
	for name, text := range map[string]string{
		"go.mod":  "module example.com/hello\n\ngo 1.26\n",
		"main.go": "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc main() { fmt.Println(http.StatusOK) }\n",
	} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	left := map[bool]int64{}
	for _, env := range []bool{true, false} {
		t.Run("env="+strconv.FormatBool(env), func(t *testing.T) {
			tmp, cache := privateTmp(t), t.TempDir()
			out := filepath.Join(t.TempDir(), "hello")
			goEnv := []string{"GOCACHE=" + cache, "GOTMPDIR=", "GOENV=off", "GOFLAGS=", "GOTOOLCHAIN=local", "GOPROXY=off"}
			r := startTree(t, tmp, "", goEnv, bin, "goBuild", src, out, strconv.FormatBool(env))
			r.await("scope ")
			// Mid-build: go build's $WORK (in the scope with Env, in
			// TMPDIR without) holds workMid bytes of compiled packages,
			// about a twentieth of this build's.
			where := tmp
			if env {
				where = r.scope
			}
			waitFor(t, r, func() bool { return goBuildBytes(t, where) >= workMid })
			killGroup(r.cmd.Process.Pid)
			r.wait()
			groupGone(t, r.cmd.Process.Pid)
			if exists(out) {
				t.Fatal("go build finished before the kill; the case needs a kill mid-build")
			}
			killedWith := bytesIn(t, tmp)
			if killedWith == 0 {
				t.Fatal("nothing in TMPDIR after the kill: the case shows nothing")
			}
			next := startWith(t, tmp, goEnv, bin, "ok")
			exitCode(t, next.wait(), 0)
			left[env] = bytesIn(t, tmp)
			t.Logf("Env=%v: %d bytes in TMPDIR after the kill, %d after one more run", env, killedWith, left[env])
			if env && left[env] != 0 {
				t.Fatalf("with Env, %d bytes left in TMPDIR: %q", left[env], scopesIn(t, tmp))
			}
			if !env && left[env] == 0 {
				t.Fatal("without Env nothing was left: the go-build* directory should have stayed in TMPDIR")
			}
		})
	}
}

// workMid is how full go build's $WORK is when TestEnvGoBuildKilled kills
// it: the whole build (net/http and what it imports, cold cache) fills
// about 85 MiB.
const workMid = 4 << 20

// waitFor polls cond until it holds; the run ending first fails the test.
func waitFor(t *testing.T, r *run, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if r.exited() {
			t.Fatalf("the run ended first; stderr:\n%s", r.stderr.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within 2 minutes; stderr:\n%s", r.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// groupGone waits until no process of the group pgid is left, so that
// nothing writes into TMPDIR while we count.
func groupGone(t *testing.T, pgid int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for groupAlive(pgid) {
		if time.Now().After(deadline) {
			t.Fatalf("process group %d still alive 30 s after SIGKILL", pgid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// goBuildBytes is the size of the regular files in the go-build*
// directories right in dir.
func goBuildBytes(t *testing.T, dir string) int64 {
	t.Helper()
	ms, err := filepath.Glob(filepath.Join(dir, "go-build*"))
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, m := range ms {
		n += bytesIn(t, m)
	}
	return n
}

// bytesIn is the size of the regular files under dir; files that vanish
// while it walks (a build still running) are not counted.
func bytesIn(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return n
}
