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
