package mgtemp_test

import (
	"os"
	"syscall"
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

// trueCommand is a tmp:run command line (cmd.exe's) that does nothing and
// succeeds.
const trueCommand = "exit 0"

// errNoEntry and errNotDir are why a missing directory and a file are
// skipped as temp directories: Windows says the path is not found for
// both (a probe file in each is looked for).
var errNoEntry, errNotDir error = windows.ERROR_PATH_NOT_FOUND, windows.ERROR_PATH_NOT_FOUND

// processGone reports whether the process pid has ended.
func processGone(pid int) bool {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, uint32(pid))
	if err != nil {
		return true
	}
	defer windows.CloseHandle(h)
	ev, err := windows.WaitForSingleObject(h, 0)
	return err == nil && ev == windows.WAIT_OBJECT_0
}

// killPid ends the process pid with TerminateProcess.
func killPid(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}

// newMountNamespace is never reached: the test that uses it skips on
// Windows.
func newMountNamespace(t *testing.T) *syscall.SysProcAttr {
	t.Helper()
	t.Fatal("no mount namespaces on Windows")
	return nil
}

// alive reports whether pid is a process that has not ended.
func alive(pid int) bool { return !processGone(pid) }

// newGroup makes a child the root of a new process group (Ctrl-Break goes
// to a group).
func newGroup() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP}
}

// killGroup ends the process pgid (Windows kills no group at once; the
// tests that start groups end their children themselves).
func killGroup(pgid int) { killPid(pgid) }

// signalPid is never reached with a signal Windows can send: the tests
// that use it skip there.
func signalPid(int, syscall.Signal) error { return syscall.EWINDOWS }

// groupAlive reports whether the process pgid, the group's root, is left.
func groupAlive(pgid int) bool { return alive(pgid) }
