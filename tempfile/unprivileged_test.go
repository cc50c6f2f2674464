//go:build linux

package tempfile_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/hashicorp/go-multierror"

	"github.com/magekit/temp/tempfile"
)

const nobody = 65534

// TestAsNobody reruns TestUnprivileged as the user nobody when the tests
// run as root (as CI does): root ignores permission bits, so a
// permission test that passes as root proves nothing. The test binary is
// copied where nobody can run it, and TMPDIR is a directory nobody owns.
func TestAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("not root: TestUnprivileged runs directly as this unprivileged user")
	}
	// t.TempDir's parent is 0700: nobody needs a way in from the top.
	base, bin := nobodyBin(t, "asnobody")
	tmp := filepath.Join(base, "tmp")
	mustDo(t, os.Mkdir(tmp, 0o700))
	mustDo(t, os.Chown(tmp, nobody, nobody))
	// A directory nobody cannot write in, for the Dir() probe to skip.
	ro := filepath.Join(base, "ro")
	mustDo(t, os.Mkdir(ro, 0o755))
	// In it, a parent of nobody's scopes that root owns: a trap to refuse.
	mustDo(t, os.Mkdir(userParentOf(ro, strconv.Itoa(nobody)), 0o700))

	// In nobody's parent, a dead scope holding two directories of root's
	// that nobody cannot empty: Sweep must report each failure.
	parent := userParentOf(tmp, strconv.Itoa(nobody))
	dead := filepath.Join(parent, "dead.1.00000000000000000001")
	mustDo(t, os.Mkdir(parent, 0o700))
	mustDo(t, os.Mkdir(dead, 0o700))
	mustDo(t, os.WriteFile(dead+".lock", nil, 0o600))
	for _, d := range []string{"r1", "r2"} {
		mustDo(t, os.Mkdir(filepath.Join(dead, d), 0o755))
		mustDo(t, os.WriteFile(filepath.Join(dead, d, "f"), nil, 0o644))
	}
	for _, p := range []string{parent, dead, dead + ".lock"} {
		mustDo(t, os.Chown(p, nobody, nobody))
	}

	cmd := exec.Command(bin, "-test.run=^TestUnprivileged$", "-test.v", "-test.count=1")
	cmd.Dir = tmp
	cmd.Env = append(cleanEnv(), "TMPDIR="+tmp, "TEMPFILE_TEST_RO="+ro)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	t.Logf("as nobody:\n%s", out)
	if err != nil {
		t.Fatalf("TestUnprivileged as nobody: %v", err)
	}
	if !strings.Contains(string(out), "--- PASS: TestUnprivileged") || strings.Contains(string(out), "SKIP") {
		t.Fatal("TestUnprivileged did not run and pass in full as nobody")
	}
}

// TestUnprivileged holds the permission checks that only mean something
// for a user without root's privileges.
func TestUnprivileged(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root bypasses permissions: TestAsNobody reruns this as nobody")
	}
	t.Run("Cleanup removes read-only trees", func(t *testing.T) {
		privateTmp(t)
		s, err := tempfile.NewScope("ro")
		mustDo(t, err)
		for m := fs.FileMode(0); m <= 0o700; m += 0o100 {
			d := filepath.Join(s.Path(), "d"+m.String())
			mustDo(t, os.MkdirAll(filepath.Join(d, "sub", "deeper"), 0o700))
			mustDo(t, os.WriteFile(filepath.Join(d, "sub", "f"), []byte("x"), 0o600))
			mustDo(t, os.Chmod(filepath.Join(d, "sub", "f"), m))
			mustDo(t, os.Chmod(filepath.Join(d, "sub", "deeper"), m))
			mustDo(t, os.Chmod(filepath.Join(d, "sub"), m))
			mustDo(t, os.Chmod(d, m))
		}
		mustDo(t, os.Chmod(s.Path(), 0o500))
		if err := s.Cleanup(); err != nil {
			t.Fatalf("Cleanup: %v", err)
		}
		if _, err := os.Lstat(s.Path()); !os.IsNotExist(err) {
			t.Fatalf("scope survived: %v", err)
		}
	})
	t.Run("Sweep removes a dead read-only scope", func(t *testing.T) {
		tmp := privateTmp(t)
		dead := startHolder(t, tmp)
		mustDo(t, os.Chmod(dead.path, 0o500))
		mustDo(t, dead.cmd.Process.Kill())
		dead.cmd.Wait()
		removed, err := tempfile.Sweep(tmp)
		if err != nil || len(removed) != 1 {
			t.Fatalf("Sweep = %q, %v", removed, err)
		}
		mustEmpty(t, userParent(tmp))
	})
	t.Run("symlink swaps during Cleanup's careful pass", func(t *testing.T) {
		swapRace(t, rounds(300))
	})
	t.Run("Sweep reports every failure and keeps the lock file", func(t *testing.T) {
		tmp := os.Getenv("TMPDIR")
		dead := filepath.Join(userParent(tmp), "dead.1.00000000000000000001")
		if _, err := os.Lstat(dead); err != nil {
			t.Skip("needs the dead scope TestAsNobody plants")
		}
		removed, err := tempfile.Sweep(tmp)
		me, ok := err.(*multierror.Error)
		if !ok || len(removed) != 0 {
			t.Fatalf("Sweep = %q, %v (%T); want nothing removed and a *multierror.Error", removed, err, err)
		}
		stuck := 0
		for _, e := range me.Errors {
			var pe *fs.PathError
			if errors.As(e, &pe) && errors.Is(e, fs.ErrPermission) && strings.HasSuffix(pe.Path, "f") {
				stuck++
			}
		}
		if stuck != 2 {
			t.Fatalf("want a permission error for each of r1/f and r2/f, got %v", me.Errors)
		}
		mustDo(t, func() error { _, err := os.Lstat(dead + ".lock"); return err }())
	})
	t.Run("Cleanup retries a Keep whose rename failed", func(t *testing.T) {
		tmp := privateTmp(t)
		s, err := tempfile.NewScope("keep")
		mustDo(t, err)
		parent := userParent(tmp)
		mustDo(t, os.Chmod(parent, 0o500)) // the rename to .kept fails
		s.Keep()
		mustDo(t, os.Chmod(parent, 0o700))
		mustDo(t, s.Cleanup())
		if _, err := os.Lstat(s.Path() + ".kept"); err != nil {
			t.Fatalf("Cleanup did not finish the Keep: %v", err)
		}
		if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 0 {
			t.Fatalf("Sweep took a kept scope: %q, %v", removed, err)
		}
	})
	t.Run("PersistNoClobber's fallback undoes its link when it cannot unlink", func(t *testing.T) {
		tempfile.NoRenameat2.Store(true)
		defer tempfile.NoRenameat2.Store(false)
		from, to := t.TempDir(), t.TempDir()
		f, err := tempfile.NewFile(tempfile.Options{Dir: from})
		mustDo(t, err)
		defer f.Close()
		mustDo(t, os.Chmod(from, 0o500)) // link works, unlinking the old name cannot
		defer os.Chmod(from, 0o700)
		if err := f.PersistNoClobber(filepath.Join(to, "final")); !errors.Is(err, fs.ErrPermission) {
			t.Fatalf("PersistNoClobber: %v, want fs.ErrPermission", err)
		}
		mustEmpty(t, to)
		fi, err := f.Stat()
		mustDo(t, err)
		if n := fi.Sys().(*syscall.Stat_t).Nlink; n != 1 {
			t.Fatalf("the file has %d links after the failed persist, want 1", n)
		}
		if _, err := f.WriteString("still usable"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Dir probe skips an unwritable directory", func(t *testing.T) {
		ro := os.Getenv("TEMPFILE_TEST_RO")
		if ro == "" {
			ro = "/" // not root: / is not writable either
		}
		good := t.TempDir()
		t.Setenv("TMPDIR", ro)
		t.Setenv("TEMP", good)
		setDir(t, "") // resolve the default anew
		if got := tempfile.Dir(); got != good {
			t.Fatalf("Dir() = %q, want %q after the unwritable %q", got, good, ro)
		}
	})
	t.Run("create in an unwritable Dir is ErrPermission and makes nothing", func(t *testing.T) {
		ro := t.TempDir()
		mustDo(t, os.Chmod(ro, 0o500))
		for _, c := range creators {
			_, err := c.make(tempfile.Options{Dir: ro})
			var pe *fs.PathError
			if !errors.Is(err, fs.ErrPermission) || !errors.As(err, &pe) {
				t.Errorf("%s: %v, want a *fs.PathError matching fs.ErrPermission", c.name, err)
			}
		}
		mustDo(t, os.Chmod(ro, 0o700))
		mustEmpty(t, ro)
	})
	t.Run("a parent owned by another user is refused", func(t *testing.T) {
		// TestAsNobody's TMPDIR sits in root's directory, which nobody can
		// read but not write; the root-owned "ro" directory stands in as
		// a temp dir whose mgtemp parent nobody would have to trust.
		ro := os.Getenv("TEMPFILE_TEST_RO")
		if ro == "" {
			t.Skip("needs a directory another user owns; run through TestAsNobody")
		}
		parent := userParent(ro)
		if _, err := os.Lstat(parent); err != nil {
			t.Fatalf("TestAsNobody should have planted %s: %v", parent, err)
		}
		setDir(t, ro)
		// Nor can nobody make a private fallback in ro: only then does
		// NewScope fail, naming the owner and the fallback's failure.
		_, err := tempfile.NewScope("x")
		if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "owned by uid 0") ||
			!strings.Contains(err.Error(), "no private fallback could be made") {
			t.Fatalf("NewScope: %v, want fs.ErrPermission naming the owner and the fallback's failure", err)
		}
	})
	t.Run("WriteFile into an unwritable directory leaves the old file", func(t *testing.T) {
		d := t.TempDir()
		target := filepath.Join(d, "f")
		mustDo(t, os.WriteFile(target, []byte("old"), 0o600))
		mustDo(t, os.Chmod(d, 0o500))
		defer os.Chmod(d, 0o700)
		if err := tempfile.WriteFile(target, []byte("new"), 0o600); !errors.Is(err, fs.ErrPermission) {
			t.Fatalf("WriteFile: %v, want fs.ErrPermission", err)
		}
		if b, _ := os.ReadFile(target); string(b) != "old" {
			t.Fatalf("old content changed to %q", b)
		}
		if names := entries(t, d); len(names) != 1 {
			t.Fatalf("directory holds %q", names)
		}
	})
}

// nobodyBin makes a directory that nobody can enter, removed with the
// test, and in it a copy of this test binary that nobody can run: the
// start of every test that reruns tests as nobody.
func nobodyBin(t *testing.T, prefix string) (base, bin string) {
	t.Helper()
	base, err := os.MkdirTemp(reachable(t), prefix)
	mustDo(t, err)
	t.Cleanup(func() { os.RemoveAll(base) })
	mustDo(t, os.Chmod(base, 0o755))
	bin = filepath.Join(base, "tempfile.test")
	copyFile(t, os.Args[0], bin, 0o755)
	return base, bin
}

func copyFile(t *testing.T, from, to string, mode fs.FileMode) {
	t.Helper()
	src, err := os.Open(from)
	mustDo(t, err)
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	mustDo(t, err)
	_, err = io.Copy(dst, src)
	mustDo(t, errors.Join(err, dst.Close()))
}

// reachable is a temp directory that others can pass through on the way
// down: $TMPDIR if every directory above it lets others search it, else
// /tmp.
func reachable(t *testing.T) string {
	for _, d := range []string{os.TempDir(), "/tmp"} {
		ok := true
		for p := d; ; p = filepath.Dir(p) {
			fi, err := os.Stat(p)
			if err != nil || fi.Mode().Perm()&0o001 == 0 {
				ok = false
				break
			}
			if p == filepath.Dir(p) {
				break
			}
		}
		if ok {
			return d
		}
	}
	t.Skip("no temp directory that nobody can reach")
	return ""
}
