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

// parentOwner is what names this user's parent of scopes: the euid.
func parentOwner() string { return strconv.Itoa(os.Geteuid()) }

// skipOnWindows does nothing here.
func skipOnWindows(*testing.T, string) {}

// unsafeParent makes this user's parent of scopes in tmp world-writable,
// so that it is refused.
func unsafeParent(t *testing.T, tmp string) {
	t.Helper()
	parent := userParent(tmp)
	if err := os.Mkdir(parent, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o777); err != nil {
		t.Fatal(err)
	}
}
