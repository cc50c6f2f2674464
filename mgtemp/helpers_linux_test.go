package mgtemp_test

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// processExited reports whether p has ended, without reaping it (waitid
// with WNOWAIT; wait4 refuses that flag on Linux).
func processExited(t *testing.T, p *os.Process) bool {
	t.Helper()
	var si unix.Siginfo
	err := unix.Waitid(unix.P_PID, p.Pid, &si, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil)
	if err != nil {
		t.Fatalf("waitid: %v", err)
	}
	return si.Signo != 0 // zeroed when no child has changed state
}

// newMountNamespace runs a child in a mount namespace of its own.
func newMountNamespace(*testing.T) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS}
}

// alive reports whether pid is a process that has not ended (a zombie
// has ended).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z'
}
