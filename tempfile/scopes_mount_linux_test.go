//go:build linux

package tempfile_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/magekit/temp/tempfile"
)

// TestScopesSizeStaysOffMounts: the size Scopes gives a scope counts its
// own files, not those of a mount inside it (a bind mount of a big tree,
// or of /, would be read in full by every tmp:list). A bind mount on the
// scope's own file system (only the mount id tells it apart) and a tmpfs.
// It reruns itself in a mount namespace of its own.
func TestScopesSizeStaysOffMounts(t *testing.T) {
	if os.Getenv(mountNSEnv) != "1" {
		if os.Geteuid() != 0 {
			t.Skip("mounting needs root")
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestScopesSizeStaysOffMounts$", "-test.v", "-test.count=1")
		cmd.Env = append(cleanEnv(), mountNSEnv+"=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS}
		out, err := cmd.CombinedOutput()
		t.Logf("in a mount namespace of its own:\n%s", out)
		if err != nil || !strings.Contains(string(out), "--- PASS: TestScopesSizeStaysOffMounts") {
			t.Fatalf("TestScopesSizeStaysOffMounts in a mount namespace: %v", err)
		}
		return
	}
	mustDo(t, unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""))
	tmp := privateTmp(t)
	s, err := tempfile.NewScope("size")
	mustDo(t, err)
	defer s.Cleanup()
	mustDo(t, os.WriteFile(filepath.Join(s.Path(), "own"), []byte("0123456789"), 0o600))
	src := t.TempDir()
	mustDo(t, os.WriteFile(filepath.Join(src, "big"), nil, 0o600))
	mustDo(t, os.Truncate(filepath.Join(src, "big"), 1<<30))
	for _, m := range []struct{ src, fstype string }{{src, ""}, {"tmpfs", "tmpfs"}} {
		p := filepath.Join(s.Path(), "m"+m.fstype)
		mustDo(t, os.Mkdir(p, 0o700))
		var flags uintptr
		if m.fstype == "" {
			flags = unix.MS_BIND
		}
		mount(t, m.src, p, m.fstype, flags)
		if m.fstype != "" {
			mustDo(t, os.WriteFile(filepath.Join(p, "big"), nil, 0o600))
			mustDo(t, os.Truncate(filepath.Join(p, "big"), 1<<30))
		}
	}
	list, err := tempfile.Scopes(tmp)
	mustDo(t, err)
	if len(list) != 1 || list[0].Size != 10 {
		t.Fatalf("Scopes: %+v, want one scope of size 10 (its own file, not what is mounted in it)", list)
	}
}
