//go:build linux

package mgtemp_test

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// awaitGone waits, 20 s at most, for the process pid to be gone (reaped
// by whoever inherited it).
func awaitGone(pid int) bool {
	for range 2000 {
		if processGone(pid) {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// TestRunStopsGroup: once tmp:run has passed a SIGTERM on, the command's
// group has Grace to end and is then killed, so nothing of it runs on in
// the scope that tmp:run removes: neither a command that ignores SIGTERM
// (tmp:run waited for it for ever) nor a child it started in the
// background that ignores it (it outlived tmp:run and its scope).
func TestRunStopsGroup(t *testing.T) {
	t.Run("command ignores SIGTERM", func(t *testing.T) {
		tmp := privateTmp(t)
		r, child, _ := runStart(t, tmp, `trap '' TERM; echo ready; sleep 1000; sleep 1000`)
		r.await("ready")
		// If it is never killed, it holds mage's stdout open for ever:
		// end the test with a failure rather than a hang.
		stop := time.AfterFunc(20*time.Second, func() { syscall.Kill(-child, syscall.SIGKILL) })
		r.signal(syscall.SIGTERM)
		ws := r.wait()
		if !stop.Stop() {
			t.Fatalf("tmp:run still waited for the command 20 s after SIGTERM; the test killed it")
		}
		exitCode(t, ws, 128+9)
		if !awaitGone(child) {
			t.Errorf("the command (pid %d) outlived tmp:run", child)
		}
		nothingLeft(t, tmp)
	})
	t.Run("background child ignores SIGTERM", func(t *testing.T) {
		tmp := privateTmp(t)
		r, _, _ := runStart(t, tmp, `(trap '' TERM; exec sleep 1000 >/dev/null 2>&1) & echo "bg $!"; echo ready; wait`)
		bg, err := strconv.Atoi(strings.TrimPrefix(r.await("bg "), "bg "))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { syscall.Kill(bg, syscall.SIGKILL) })
		r.await("ready")
		r.signal(syscall.SIGTERM)
		exitCode(t, r.wait(), 128+15)
		if !awaitGone(bg) {
			t.Errorf("the command's background child (pid %d) outlived tmp:run", bg)
		}
		nothingLeft(t, tmp)
	})
}

// TestRunCtrlZ: Ctrl-Z at a terminal stops tmp:run's command, in the
// terminal's foreground group of its own; tmp:run must stop with it, so
// the user's shell gets the terminal back and can continue the job with
// fg. tmp:run waited for its stopped command for ever, and the terminal
// hung. bash with job control is the user's shell, on a pseudo-terminal.
func TestRunCtrlZ(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash for job control")
	}
	bin := needBin(t, "importonly")
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skip("no pseudo-terminals:", err)
	}
	defer master.Close()
	mustNil(t, unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0))
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	mustNil(t, err)
	slave, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	mustNil(t, err)
	defer slave.Close()

	tmp := privateTmp(t)
	script := `set -m; "$BIN" tmp:run 'echo ready; read line; echo "resumed $line"'; echo "status $?"; fg; echo "after fg $?"`
	cmd := exec.Command(bash, "-c", script)
	cmd.Env = append(baseEnv(), "TMPDIR="+tmp, "BIN="+bin)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	mustNil(t, cmd.Start())
	defer func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() }()
	slave.Close()

	var (
		mu  sync.Mutex
		out []byte
	)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			out = append(out, buf[:n]...)
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	await := func(want string) {
		t.Helper()
		for range 2000 {
			mu.Lock()
			got := string(out)
			mu.Unlock()
			if strings.Contains(got, want) {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("no %q on the terminal in 20 s:\n%s", want, out)
	}
	await("ready")
	master.Write([]byte{0x1a}) // Ctrl-Z
	await("status 148")        // 128+SIGTSTP: the shell saw the job stop
	master.Write([]byte("go on\n"))
	await("resumed go on")
	await("after fg 0")
	nothingLeft(t, tmp)
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
