package mgtemp_test

import (
	"os"
	"testing"

	"golang.org/x/sys/windows"
)

// sighup is never reached: the tests that send it skip on Windows.
func sighup(t *testing.T) { t.Helper(); t.Fatal("no SIGHUP on Windows") }

// skipOnWindows skips the test, saying why.
func skipOnWindows(t *testing.T, why string) { t.Helper(); t.Skip(why) }

// noCtrlC is why the Ctrl-C cases skip on Windows.
const noCtrlC = "no Ctrl-C can be sent to one process on Windows (Wine cannot deliver GenerateConsoleCtrlEvent either): TestMagefileOnWindows covers what can be"

// parentOwner is what names this user's parent of scopes: the user name,
// as Windows has no uid.
func parentOwner() string {
	u := os.Getenv("USERNAME")
	if u == "" {
		u = "user"
	}
	return u
}

// processExited reports whether p has ended: its handle is signalled.
func processExited(t *testing.T, p *os.Process) bool {
	t.Helper()
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, uint32(p.Pid))
	if err != nil {
		return true // no such process left
	}
	defer windows.CloseHandle(h)
	ev, err := windows.WaitForSingleObject(h, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ev == windows.WAIT_OBJECT_0
}
