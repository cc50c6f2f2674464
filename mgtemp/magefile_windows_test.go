package mgtemp_test

import (
	"bufio"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/windows"
)

// TestMagefileOnWindows runs testdata/lifecycle, compiled for Windows
// beforehand (mage -compile -goos windows: .ci/wine.sh does it and names
// the directory in MGTEMP_WINE_DIR, since no Go toolchain runs here), to
// its ends: a return, an error and a panic each remove the scope; a
// process killed with TerminateProcess leaves its scope, which the next
// run's sweep removes because the dead process no longer holds the
// LockFileEx lock on it. The Ctrl-Break subtests skip where the console
// event cannot be sent: under Wine GenerateConsoleCtrlEvent fails with
// ERROR_INVALID_ACCESS, so the README calls Ctrl-C and Ctrl-Break untested.
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
	// Ctrl-Break, sent to the run's own process group, reaches mage as
	// os.Interrupt: the target honours ctx, or the watchdog removes the
	// scope. Where the console event cannot be sent, the subtest skips.
	// A console event goes to the processes of a console: have one (the
	// test binary has none when its output is redirected).
	var consoleErr error
	if r, _, err := windows.NewLazySystemDLL("kernel32.dll").NewProc("AllocConsole").Call(); r == 0 {
		consoleErr = err
	}
	for _, target := range []string{"honour", "ignore"} {
		t.Run("Ctrl-Break, "+target, func(t *testing.T) {
			cmd := exec.Command(bin, target)
			cmd.Env = env
			cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP}
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			sc := bufio.NewScanner(out)
			scope := ""
			for sc.Scan() && sc.Text() != "ready" {
				if p, ok := strings.CutPrefix(sc.Text(), "scope "); ok {
					scope = p
				}
			}
			err = windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(cmd.Process.Pid))
			if err != nil {
				// To the whole console then, this process included.
				mine := make(chan os.Signal, 1)
				signal.Notify(mine, os.Interrupt)
				defer signal.Stop(mine)
				if err2 := windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, 0); err2 != nil {
					t.Skipf("cannot send Ctrl-Break here: %v, to the console: %v (AllocConsole: %v)", err, err2, consoleErr)
				}
			}
			done := make(chan error, 1)
			go func() {
				for sc.Scan() {
				}
				done <- cmd.Wait()
			}()
			select {
			case err := <-done:
				t.Logf("%s after Ctrl-Break: %v", target, err)
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Skip("Ctrl-Break sent but never delivered (no console here)")
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
