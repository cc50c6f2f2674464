//go:build unix

package tempfile_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// What the portable tests ask of the platform, the Unix way. The Windows
// versions are in helpers_windows_test.go.

// parentOwner is what names this user's parent of scopes: the euid.
func parentOwner() string { return strconv.Itoa(os.Geteuid()) }

// umask sets the process umask and returns the old one.
func umask(mask int) int { return syscall.Umask(mask) }

// inheritable reports whether a child process would inherit f: its
// descriptor lacks FD_CLOEXEC.
func inheritable(t *testing.T, f *os.File) bool {
	t.Helper()
	flags, err := fcntlGetfd(f)
	if err != nil {
		t.Fatal(err)
	}
	return flags&syscall.FD_CLOEXEC == 0
}

// links returns how many names the open file f has.
func links(t *testing.T, f *os.File) uint64 {
	t.Helper()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return uint64(fi.Sys().(*syscall.Stat_t).Nlink)
}

// devLinks returns the device and the link count of fi.
func devLinks(t *testing.T, fi fs.FileInfo) (dev, nlink uint64) {
	st := fi.Sys().(*syscall.Stat_t)
	return uint64(st.Dev), uint64(st.Nlink)
}

// checkPrivate fails the test unless fi (of path) has exactly the type and
// permission bits want and belongs to this user.
func checkPrivate(t *testing.T, path string, fi fs.FileInfo, want fs.FileMode) {
	t.Helper()
	if got := fi.Mode() & (fs.ModeType | fs.ModePerm); got != want {
		t.Errorf("%s: mode %v, want %v", path, got, want)
	}
	if uid := fi.Sys().(*syscall.Stat_t).Uid; int(uid) != os.Geteuid() {
		t.Errorf("%s: owner %d, want %d", path, uid, os.Geteuid())
	}
}

// lockHeld reports whether someone holds the flock on path.
func lockHeld(t *testing.T, path string) bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if err == nil {
		return false
	}
	if err != unix.EWOULDBLOCK {
		t.Fatal(err)
	}
	return true
}

// limitFileSize lowers RLIMIT_FSIZE to limit bytes for this process (or
// skips the test if it cannot) and returns the function that restores it;
// writes past the limit then fail with EFBIG.
func limitFileSize(t *testing.T, limit uint64) (restore func()) {
	t.Helper()
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &rl); err != nil {
		t.Fatal(err)
	}
	saved := rl
	restore = func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &saved); err != nil {
			t.Errorf("restoring RLIMIT_FSIZE: %v", err)
		}
	}
	t.Cleanup(restore)
	// Cur is uint64 on most systems, int64 on some BSDs.
	reflect.ValueOf(&rl.Cur).Elem().Set(reflect.ValueOf(limit).Convert(reflect.TypeOf(rl.Cur)))
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &rl); err != nil {
		t.Skipf("cannot lower RLIMIT_FSIZE: %v", err)
	}
	return restore
}

// spOpenIn lists the descriptors of this process that refer to a file in
// dir, as /proc/self/fd shows them: an unnamed (O_TMPFILE or unlinked)
// file reads as "dir/#123 (deleted)" or "dir/name (deleted)". It is how a
// test sees a file that has no directory entry.
func spOpenIn(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	var out []string
	for _, e := range es {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
		if err != nil {
			continue // the descriptor ReadDir itself used, now closed
		}
		if strings.HasPrefix(target, dir+"/") {
			out = append(out, target)
		}
	}
	return out
}

// mustHoldNoName fails the test if dir holds anything: the files open in
// it are unnamed.
func mustHoldNoName(t *testing.T, dir string) { t.Helper(); mustEmpty(t, dir) }

// shown is the mode Stat shows for a file made or chmod'ed with mode m.
func shown(m fs.FileMode) fs.FileMode { return m }

// defaultPrefix is Prefix() for process pid: "@<pid>.".
func defaultPrefix(pid int) string { return "@" + strconv.Itoa(pid) + "." }

// errLinkRefused is what Reopen reports for a symbolic link planted at the
// name: O_NOFOLLOW's ELOOP.
var errLinkRefused error = syscall.ELOOP

// mustSymlink makes a symbolic link.
func mustSymlink(t *testing.T, oldname, newname string) {
	t.Helper()
	mustDo(t, os.Symlink(oldname, newname))
}

// skipOnWindows does nothing here.
func skipOnWindows(*testing.T, string) {}

// kill9 kills p with SIGKILL; killed reports whether ps ended that way.
func kill9(t *testing.T, p *os.Process) { t.Helper(); p.Signal(syscall.SIGKILL) }

func killed(ps *os.ProcessState) bool { return ps.Sys().(syscall.WaitStatus).Signaled() }

// skipUnderWine does nothing: Wine runs Windows programs.
func skipUnderWine(*testing.T, string) {}

// lastResortDir is Dir() with none of TMPDIR, TEMP and TMP usable.
func lastResortDir() string { return "/tmp" }

// holdOld opens path, as a reader would before it is replaced, and
// returns what reads it through that descriptor later.
func holdOld(t *testing.T, path string) func() ([]byte, fs.FileInfo) {
	t.Helper()
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return func() ([]byte, fs.FileInfo) {
		t.Helper()
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := r.Stat()
		if err != nil {
			t.Fatal(err)
		}
		return b, fi
	}
}

// openFDs counts this process's open descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	es, err := os.ReadDir("/dev/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

func fcntlGetfd(f *os.File) (int, error) {
	return unix.FcntlInt(f.Fd(), unix.F_GETFD, 0)
}

// errNotDir is what a lookup through a file reports: ENOTDIR.
var errNotDir error = syscall.ENOTDIR

// errNameTooLong is what a lookup of a path past PATH_MAX reports.
var errNameTooLong error = syscall.ENAMETOOLONG

// lockFile takes the lock a live scope holds on f (flock, exclusive),
// without waiting.
func lockFile(t *testing.T, f *os.File) {
	t.Helper()
	mustDo(t, unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB))
}

// device returns the device number of the file system path is on.
func device(t *testing.T, path string) uint64 {
	t.Helper()
	var st syscall.Stat_t
	mustDo(t, syscall.Stat(path, &st))
	return uint64(st.Dev)
}

// fdCount counts this process's open descriptors (openFDs, without a
// *testing.T, for the child that runs the cycles).
func fdCount() (int, error) {
	es, err := os.ReadDir("/dev/fd")
	return len(es), err
}

// errNoEntry is what a create in a missing directory reports: ENOENT.
var errNoEntry error = syscall.ENOENT

// isDirRefused reports whether err is how a rename onto a directory is
// refused: EISDIR, or EEXIST for a directory that is not empty.
func isDirRefused(err error) bool {
	return errors.Is(err, syscall.EISDIR) || errors.Is(err, fs.ErrExist)
}
