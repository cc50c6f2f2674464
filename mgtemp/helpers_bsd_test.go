//go:build unix && !linux

package mgtemp_test

import (
	"os"
	"syscall"
	"testing"
)

// processExited skips the test: telling whether a child has ended without
// reaping it takes waitid with WNOWAIT, which these tests use on Linux only.
func processExited(t *testing.T, _ *os.Process) bool {
	t.Helper()
	t.Skip("waitid with WNOWAIT: Linux only here")
	return false
}

// newMountNamespace skips the test: mount namespaces are Linux's.
func newMountNamespace(t *testing.T) *syscall.SysProcAttr {
	t.Helper()
	t.Skip("no mount namespaces here")
	return nil
}

// alive reports whether pid is a process that can still be signalled (a
// zombie counts: there is no /proc to tell it apart).
func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }
