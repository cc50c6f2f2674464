package mgtemp_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// TestMagefileOnWindows runs testdata/lifecycle, compiled for Windows
// beforehand (mage -compile -goos windows: .ci/wine.sh does it and names
// the directory in MGTEMP_WINE_DIR, since no Go toolchain runs here), to
// its ends: a return, an error and a panic each remove the scope; a
// process killed with TerminateProcess leaves its scope, which the next
// run's sweep removes because the dead process no longer holds the
// LockFileEx lock on it. Ctrl-C and Ctrl-Break are not tested (the
// README says so).
func TestMagefileOnWindows(t *testing.T) {
	dir := os.Getenv("MGTEMP_WINE_DIR")
	bin := filepath.Join(dir, "lifecycle.exe")
	if _, err := os.Stat(bin); dir == "" || err != nil {
		t.Skip("no lifecycle.exe compiled for Windows (MGTEMP_WINE_DIR; .ci/wine.sh makes it)")
	}
	tmp := t.TempDir()
	env := append(os.Environ(), "TMPDIR="+tmp, "TEMP="+tmp, "TMP="+tmp, "MGTEMP_KEEP=")
	// run starts bin target and returns it with the scope it announces.
	run := func(t *testing.T, target string) (*exec.Cmd, string, *bufio.Scanner) {
		t.Helper()
		cmd := exec.Command(bin, target)
		cmd.Env = env
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "scope "); ok {
				return cmd, p, sc
			}
		}
		cmd.Wait()
		t.Fatalf("%s announced no scope", target)
		return nil, "", nil
	}
	gone := func(t *testing.T, p string) {
		t.Helper()
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("scope %s is still there (%v)", p, err)
		}
	}
	for _, c := range []struct {
		target string
		ok     bool
	}{{"ok", true}, {"fail", false}, {"panic", false}} {
		t.Run(c.target, func(t *testing.T) {
			cmd, scope, sc := run(t, c.target)
			for sc.Scan() {
			}
			err := cmd.Wait()
			if (err == nil) != c.ok {
				t.Errorf("%s: exit %v, want success %v", c.target, err, c.ok)
			}
			gone(t, scope)
		})
	}
	t.Run("killed, then swept", func(t *testing.T) {
		cmd, scope, sc := run(t, "honour")
		for sc.Scan() && sc.Text() != "ready" {
		}
		h, err := windows.OpenProcess(windows.PROCESS_TERMINATE, false, uint32(cmd.Process.Pid))
		if err != nil {
			t.Fatal(err)
		}
		err = windows.TerminateProcess(h, 0x9000)
		windows.CloseHandle(h)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		if _, err := os.Lstat(scope); err != nil {
			t.Fatalf("the killed run's scope is gone already (%v): the test proves nothing", err)
		}
		next, nextScope, sc := run(t, "ok")
		for sc.Scan() {
		}
		if err := next.Wait(); err != nil {
			t.Fatalf("the next run: %v", err)
		}
		gone(t, scope)
		gone(t, nextScope)
	})
}
