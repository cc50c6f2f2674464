//go:build unix

package mgtemp_test

import (
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
