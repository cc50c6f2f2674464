//go:build linux

package mgtemp_test

import (
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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
