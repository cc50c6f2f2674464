package tempfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/magekit/temp/tempfile"
)

// What the portable tests ask of the platform, the Windows way (see
// helpers_unix_test.go).

// parentOwner is what names this user's parent of scopes: the user name,
// as Windows has no uid.
func parentOwner() string {
	u := os.Getenv("USERNAME")
	if u == "" {
		u = "user"
	}
	return u
}

// umask does nothing: Windows has no umask.
func umask(int) int { return 0 }

// inheritable reports whether a child process would inherit f's handle.
func inheritable(t *testing.T, f *os.File) bool {
	t.Helper()
	var flags uint32
	r, _, err := getHandleInformation.Call(f.Fd(), uintptr(unsafe.Pointer(&flags)))
	if r == 0 {
		t.Fatal(err)
	}
	return flags&windows.HANDLE_FLAG_INHERIT != 0
}

var getHandleInformation = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetHandleInformation")

// links returns how many names the open file f has.
func links(t *testing.T, f *os.File) uint64 {
	t.Helper()
	var fi windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(windows.Handle(f.Fd()), &fi); err != nil {
		t.Fatal(err)
	}
	return uint64(fi.NumberOfLinks)
}

// devLinks skips the test: a FileInfo carries no volume or link count on
// Windows (and the tests that ask need a second file system, /dev/shm).
func devLinks(t *testing.T, _ fs.FileInfo) (dev, nlink uint64) {
	t.Skip("no device numbers in a Windows FileInfo")
	return 0, 0
}

// checkPrivate checks the type and the read-only bit, all of want that
// Windows shows: privacy there comes from the ACL of the user's temp
// directory, not from mode bits or an owner in the FileInfo.
func checkPrivate(t *testing.T, path string, fi fs.FileInfo, want fs.FileMode) {
	t.Helper()
	if got := fi.Mode() & fs.ModeType; got != want&fs.ModeType {
		t.Errorf("%s: type %v, want %v", path, got, want&fs.ModeType)
	}
	if ro, wantRO := fi.Mode()&0o200 == 0, want&0o200 == 0; ro != wantRO {
		t.Errorf("%s: mode %v, want it read-only: %v", path, fi.Mode(), wantRO)
	}
}

// lockHeld reports whether someone holds the LockFileEx lock on path.
func lockHeld(t *testing.T, path string) bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ol windows.Overlapped
	err = windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if err == nil {
		windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
		return false
	}
	if err != windows.ERROR_LOCK_VIOLATION {
		t.Fatal(err)
	}
	return true
}

// limitFileSize skips the test: Windows has no per-process file size limit.
func limitFileSize(t *testing.T, _ uint64) func() {
	t.Skip("no RLIMIT_FSIZE on Windows")
	return nil
}

// spOpenIn lists the files open in dir. A file that TemporaryFile or a
// rolled Spooled holds keeps its name on Windows until it is closed
// (FILE_FLAG_DELETE_ON_CLOSE), so these are the names in dir.
func spOpenIn(t *testing.T, dir string) []string { t.Helper(); return entries(t, dir) }

// mustHoldNoName fails the test unless every name in dir is one that
// nobody else can open: a delete-on-close file, which Windows keeps named
// while it is open (another open fails with a sharing violation).
func mustHoldNoName(t *testing.T, dir string) {
	t.Helper()
	for _, n := range entries(t, dir) {
		if f, err := os.Open(filepath.Join(dir, n)); err == nil {
			f.Close()
			t.Errorf("%s can be opened by others: not an unnamed temporary file", n)
		}
	}
}

// shown is the mode Stat shows for a file made or chmod'ed with mode m:
// Windows keeps only the read-only attribute, and none for a directory.
func shown(m fs.FileMode) fs.FileMode {
	switch {
	case m.IsDir():
		return m&^fs.ModePerm | 0o777
	case m&0o200 == 0:
		return m&^fs.ModePerm | 0o444
	}
	return m&^fs.ModePerm | 0o666
}

// defaultPrefix is Prefix() for process pid: "<pid>-", as the classic
// module's on Windows.
func defaultPrefix(pid int) string { return strconv.Itoa(pid) + "-" }

// errLinkRefused is what Reopen reports for a symbolic link planted at the
// name: it opens the link itself (FILE_FLAG_OPEN_REPARSE_POINT), which is
// not the file.
var errLinkRefused = tempfile.ErrReplaced

// mustSymlink makes a symbolic link, or skips the test where none can be
// made: Wine reports success and makes nothing, and Windows needs a
// privilege or developer mode.
func mustSymlink(t *testing.T, oldname, newname string) {
	t.Helper()
	if err := os.Symlink(oldname, newname); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
	if _, err := os.Lstat(newname); err != nil {
		t.Skipf("os.Symlink made no link (Wine has none): %v", err)
	}
}

// skipOnWindows skips the test, saying why.
func skipOnWindows(t *testing.T, why string) { t.Helper(); t.Skip(why) }

// killedCode is the exit code kill9 gives: no program exits with it.
const killedCode = 0x9000

// kill9 ends p at once with TerminateProcess, as SIGKILL does.
func kill9(t *testing.T, p *os.Process) {
	t.Helper()
	h, err := windows.OpenProcess(windows.PROCESS_TERMINATE, false, uint32(p.Pid))
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseHandle(h)
	if err := windows.TerminateProcess(h, killedCode); err != nil {
		t.Fatal(err)
	}
}

// killed reports whether kill9 ended the process of ps.
func killed(ps *os.ProcessState) bool { return ps.ExitCode() == killedCode }

// underWine reports whether the tests run under Wine, whose ntdll has
// wine_get_version.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// skipUnderWine skips the test under Wine, saying which of its gaps
// the test would trip on.
func skipUnderWine(t *testing.T, why string) {
	t.Helper()
	if underWine() {
		t.Skip("Wine: " + why)
	}
}

// lastResortDir is Dir() with none of TMPDIR, TEMP and TMP usable: the
// user's local temp directory.
func lastResortDir() string { return filepath.Join(os.Getenv("LOCALAPPDATA"), "Temp") }

// holdOld keeps the file at path reachable through a hard link in another
// directory (Windows cannot replace a file a reader holds open) and
// returns what reads it through that link later.
func holdOld(t *testing.T, path string) func() ([]byte, fs.FileInfo) {
	t.Helper()
	old := filepath.Join(t.TempDir(), "old")
	if err := os.Link(path, old); err != nil {
		t.Fatal(err)
	}
	return func() ([]byte, fs.FileInfo) {
		t.Helper()
		b, err := os.ReadFile(old)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(old)
		if err != nil {
			t.Fatal(err)
		}
		return b, fi
	}
}

var getProcessHandleCount = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetProcessHandleCount")

// openFDs counts this process's open handles.
func openFDs(t *testing.T) int {
	t.Helper()
	var n uint32
	if r, _, err := getProcessHandleCount.Call(uintptr(windows.CurrentProcess()), uintptr(unsafe.Pointer(&n))); r == 0 {
		t.Fatal(err)
	}
	if n == 0 {
		t.Skip("GetProcessHandleCount reports no handles at all (Wine): nothing to count")
	}
	return int(n)
}

// errNotDir is what a lookup through a file reports: Windows says the
// path is not found (ERROR_PATH_NOT_FOUND, which is fs.ErrNotExist).
var errNotDir error = windows.ERROR_PATH_NOT_FOUND

// errNameTooLong is what a lookup of a path past the limit reports (the
// tests that use it skip on Windows, where Go lifts MAX_PATH).
var errNameTooLong error = windows.ERROR_FILENAME_EXCED_RANGE

// lockFile takes the lock a live scope holds on f (LockFileEx, exclusive,
// on its first byte), without waiting.
func lockFile(t *testing.T, f *os.File) {
	t.Helper()
	var ol windows.Overlapped
	mustDo(t, windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol))
}

// device returns the serial number of the volume path is on.
func device(t *testing.T, path string) uint64 {
	t.Helper()
	f, err := os.Open(path)
	mustDo(t, err)
	defer f.Close()
	var fi windows.ByHandleFileInformation
	mustDo(t, windows.GetFileInformationByHandle(windows.Handle(f.Fd()), &fi))
	return uint64(fi.VolumeSerialNumber)
}

// fdCount counts this process's open handles (openFDs, without a
// *testing.T, for the child that runs the cycles). Wine reports 0.
func fdCount() (int, error) {
	var n uint32
	if r, _, err := getProcessHandleCount.Call(uintptr(windows.CurrentProcess()), uintptr(unsafe.Pointer(&n))); r == 0 {
		return 0, err
	}
	return int(n), nil
}

// errNoEntry is what a create in a missing directory reports: the path is
// not found (ERROR_PATH_NOT_FOUND).
var errNoEntry error = windows.ERROR_PATH_NOT_FOUND

// isDirRefused reports whether err is how a rename onto a directory is
// refused: Windows says access denied (MoveFileEx will not replace a
// directory), or that the name exists.
func isDirRefused(err error) bool {
	return errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, fs.ErrExist)
}
