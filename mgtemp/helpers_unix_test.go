//go:build unix

package mgtemp_test

import (
	"os"
	"strconv"
	"syscall"
	"testing"
)

// sighup sends SIGHUP to this process.
func sighup(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
}

// skipOnWindows does nothing here.
func skipOnWindows(*testing.T, string) {}

// noCtrlC is why the Ctrl-C cases skip on Windows.
const noCtrlC = "no Ctrl-C can be sent to one process on Windows (Wine cannot deliver GenerateConsoleCtrlEvent either): TestMagefileOnWindows covers what can be"

// parentOwner is what names this user's parent of scopes: the euid.
func parentOwner() string { return strconv.Itoa(os.Geteuid()) }

// trueCommand is a tmp:run command line that does nothing and succeeds.
const trueCommand = "true"

// errNoEntry and errNotDir are why a missing directory and a file are
// skipped as temp directories: ENOENT and ENOTDIR.
var errNoEntry, errNotDir error = syscall.ENOENT, syscall.ENOTDIR

// processGone reports whether the process pid no longer exists.
func processGone(pid int) bool { return syscall.Kill(pid, 0) == syscall.ESRCH }

// killPid kills the process pid with SIGKILL.
func killPid(pid int) { syscall.Kill(pid, syscall.SIGKILL) }

// newGroup makes a child the leader of a new process group.
func newGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// killGroup kills the process group pgid with SIGKILL.
func killGroup(pgid int) { syscall.Kill(-pgid, syscall.SIGKILL) }

// signalPid sends sig to the process pid.
func signalPid(pid int, sig syscall.Signal) error { return syscall.Kill(pid, sig) }

// groupAlive reports whether the process group pgid has a member left.
func groupAlive(pgid int) bool { return syscall.Kill(-pgid, 0) == nil }
