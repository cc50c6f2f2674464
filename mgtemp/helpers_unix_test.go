//go:build unix

package mgtemp_test

import (
	"os"
	"path/filepath"
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

// unsafeParent makes this user's parent of scopes in tmp world-writable,
// so that it is refused.
func unsafeParent(t *testing.T, tmp string) {
	t.Helper()
	parent := filepath.Join(tmp, "mgtemp-"+strconv.Itoa(os.Geteuid()))
	if err := os.Mkdir(parent, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o777); err != nil {
		t.Fatal(err)
	}
}
