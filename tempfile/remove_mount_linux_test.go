//go:build linux

package tempfile_test

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/hashicorp/go-multierror"
	"golang.org/x/sys/unix"

	"github.com/magekit/temp/tempfile"
)

// mountNSEnv marks the child of TestMountsInScope that runs in a mount
// namespace of its own.
const mountNSEnv = "TEMPFILE_TEST_MOUNTNS"

// TestMountsInScope puts mounts inside scopes — a bind mount of a
// directory on the scope's own file system (same st_dev: only the mount
// id tells it apart), a tmpfs, a bind-mounted file, and a tmpfs over a
// scope's directory itself — and expects Cleanup, and Sweep after the
// owner was killed, to leave each mount in place with what it shows
// untouched, to report each mount point in the *multierror.Error, to keep
// the lock file, and to remove everything else. The test reruns itself in
// a child with a mount namespace of its own (private propagation), so no
// mount outlives the child, however it ends.
func TestMountsInScope(t *testing.T) {
	if os.Getenv(mountNSEnv) != "1" {
		if os.Geteuid() != 0 {
			t.Skip("mounting needs root")
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestMountsInScope$", "-test.v", "-test.count=1")
		cmd.Env = append(cleanEnv(), mountNSEnv+"=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS}
		out, err := cmd.CombinedOutput()
		t.Logf("in a mount namespace of its own:\n%s", out)
		if err != nil {
			t.Fatalf("TestMountsInScope in a mount namespace: %v", err)
		}
		if !strings.Contains(string(out), "--- PASS: TestMountsInScope") || strings.Contains(string(out), "SKIP") {
			t.Fatal("TestMountsInScope did not run and pass in full in its mount namespace")
		}
		return
	}

	t.Run("Cleanup", func(t *testing.T) {
		privateTmp(t)
		s, err := tempfile.NewScope("mnt")
		mustDo(t, err)
		points, intact := mountInto(t, s.Path())
		mustLeaveMounts(t, s.Cleanup(), s.Path(), points, intact)
		if err := s.Cleanup(); err != nil {
			t.Fatalf("second Cleanup: %v, want nil", err)
		}
	})
	t.Run("Cleanup, telling mounts apart by st_dev alone", func(t *testing.T) {
		tempfile.NoStatx.Store(true)
		defer tempfile.NoStatx.Store(false)
		privateTmp(t)
		s, err := tempfile.NewScope("dev")
		mustDo(t, err)
		p := filepath.Join(s.Path(), "a", "tmpfs")
		mustDo(t, os.MkdirAll(p, 0o700))
		mustDo(t, os.WriteFile(filepath.Join(s.Path(), "a", "f"), nil, 0o400))
		mount(t, "tmpfs", p, "tmpfs", 0)
		makeSource(t, p)
		before := snapshot(t, p)
		mustLeaveMounts(t, s.Cleanup(), s.Path(), []string{p}, func() error {
			if after := snapshot(t, p); after != before {
				return errors.New("the tmpfs changed:\n" + after + "was:\n" + before)
			}
			return nil
		})
	})
	t.Run("Cleanup of a scope mounted over", func(t *testing.T) {
		privateTmp(t)
		s, err := tempfile.NewScope("over")
		mustDo(t, err)
		f, err := s.File("")
		mustDo(t, err)
		mustDo(t, f.Close())
		mount(t, "tmpfs", s.Path(), "tmpfs", 0)
		makeSource(t, s.Path())
		before := snapshot(t, s.Path())
		mustLeaveMounts(t, s.Cleanup(), "", []string{s.Path()}, func() error {
			if after := snapshot(t, s.Path()); after != before {
				return errors.New("the tmpfs over the scope changed:\n" + after + "was:\n" + before)
			}
			return nil
		})
	})
	t.Run("Sweep after SIGKILL", func(t *testing.T) {
		tmp := privateTmp(t)
		dead := startHolder(t, tmp)
		points, intact := mountInto(t, dead.path)
		mustDo(t, dead.cmd.Process.Signal(syscall.SIGKILL))
		dead.cmd.Wait()
		for range 2 { // and again: a failed sweep leaves the scope for the next
			removed, err := tempfile.Sweep(tmp)
			if len(removed) != 0 {
				t.Fatalf("Sweep reported %q removed, with mounts left in it", removed)
			}
			mustLeaveMounts(t, err, dead.path, points, intact)
		}
	})
}

// mount mounts and unmounts (lazily) when the test ends.
func mount(t *testing.T, src, dst, fstype string, flags uintptr) {
	t.Helper()
	mustDo(t, unix.Mount(src, dst, fstype, flags, ""))
	t.Cleanup(func() { unix.Unmount(dst, unix.MNT_DETACH) })
}

// mountInto fills the scope directory p with ordinary content (read-only
// directories, a deep path, a link out) and with mounts, at a/bind (a
// directory on p's file system), tmpfs and fbind (a file). It returns the
// mount points and a check that what each shows is unchanged.
func mountInto(t *testing.T, p string) (points []string, intact func() error) {
	t.Helper()
	src := t.TempDir()
	makeSource(t, src)
	var s1, s2 unix.Stat_t
	mustDo(t, unix.Stat(src, &s1))
	mustDo(t, unix.Stat(p, &s2))
	if s1.Dev != s2.Dev {
		t.Logf("the bind mount's source is on another device: only st_dev is tested")
	}
	bind := filepath.Join(p, "a", "bind")
	mustDo(t, os.MkdirAll(bind, 0o700))
	mount(t, src, bind, "", unix.MS_BIND)
	tmpfs := filepath.Join(p, "tmpfs")
	mustDo(t, os.Mkdir(tmpfs, 0o700))
	mount(t, "tmpfs", tmpfs, "tmpfs", 0)
	makeSource(t, tmpfs)
	fbind := filepath.Join(p, "fbind")
	mustDo(t, os.WriteFile(fbind, nil, 0o600))
	mount(t, filepath.Join(src, "f"), fbind, "", unix.MS_BIND)

	// Ordinary content, all of which must go.
	mustDo(t, os.WriteFile(filepath.Join(p, "a", "file"), []byte("x"), 0o400))
	mustDo(t, os.MkdirAll(filepath.Join(p, "x", "y", "z"), 0o700))
	mustDo(t, os.WriteFile(filepath.Join(p, "x", "y", "f"), []byte("x"), 0o400))
	mustDo(t, os.Chmod(filepath.Join(p, "x", "y"), 0o500))
	mustDo(t, os.Symlink(src, filepath.Join(p, "link")))
	mustDo(t, os.Chmod(filepath.Join(p, "a"), 0o500))

	before := map[string]string{src: snapshot(t, src), tmpfs: snapshot(t, tmpfs)}
	return []string{bind, tmpfs, fbind}, func() error {
		for d, was := range before {
			if now := snapshot(t, d); now != was {
				return errors.New("mounted content changed:\n" + now + "was:\n" + was)
			}
		}
		return nil
	}
}

// mustLeaveMounts checks what Cleanup or Sweep left of the scope dir:
// err reports exactly the mount points, each as a *fs.PathError naming
// it; the mounted content is intact; the lock file is still there; and of
// the scope only the mount points and the directories leading to them
// remain ("" for a scope that is itself a mount point).
func mustLeaveMounts(t *testing.T, err error, dir string, points []string, intact func() error) {
	t.Helper()
	var me *multierror.Error
	if !errors.As(err, &me) {
		t.Fatalf("got %v (%T), want a *multierror.Error naming the mount points", err, err)
	}
	var got []string
	for _, e := range me.Errors {
		var pe *fs.PathError
		if !errors.As(e, &pe) || !strings.Contains(e.Error(), "mount point") {
			t.Errorf("%v (%T): want a *fs.PathError saying it is a mount point", e, e)
			continue
		}
		got = append(got, pe.Path)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(points))
	if !slices.Equal(got, want) {
		t.Errorf("reported %q, want exactly the mount points %q (all errors: %v)", got, want, me.Errors)
	}
	if err := intact(); err != nil {
		t.Error(err)
	}
	lock := strings.TrimSuffix(points[0], "/")
	if dir != "" {
		lock = dir
	}
	if _, err := os.Lstat(lock + ".lock"); err != nil {
		t.Errorf("the lock file went with mounts left in the scope: %v", err)
	}
	if dir == "" {
		return
	}
	left := map[string][]string{dir: nil}
	for _, p := range points {
		for d := p; d != dir; d = filepath.Dir(d) {
			left[filepath.Dir(d)] = append(left[filepath.Dir(d)], filepath.Base(d))
		}
	}
	for d, want := range left {
		slices.Sort(want)
		want = slices.Compact(want)
		if got := entries(t, d); !slices.Equal(got, want) {
			t.Errorf("%s holds %q, want only %q", d, got, want)
		}
	}
}
