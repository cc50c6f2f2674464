package tempfile_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mktempUnsearchable is the "unsearchable directory" case of
// TestMktempNoNameWithError, Unix permissions being what it tests.
func mktempUnsearchable(t *testing.T) {
	// Readable but not searchable: the directory itself can be
	// stat'ed, a name in it cannot. Root ignores the bits, so as root
	// the check runs as nobody in a child.
	base := t.TempDir()
	if os.Geteuid() == 0 {
		var err error
		base, err = os.MkdirTemp(reachable(t), "mktemp")
		mustDo(t, err)
		t.Cleanup(func() { os.RemoveAll(base) })
		mustDo(t, os.Chmod(base, 0o755))
	}
	dir := filepath.Join(base, "unsearchable")
	mustDo(t, os.Mkdir(dir, 0o700))
	if os.Geteuid() != 0 {
		mustDo(t, os.Chmod(dir, 0o600))
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		if err := mktempFails(dir, fs.ErrPermission); err != nil {
			t.Fatal(err)
		}
		return
	}
	mustDo(t, os.Chown(dir, nobody, nobody))
	mustDo(t, os.Chmod(dir, 0o600))
	bin := filepath.Join(base, "tempfile.test")
	copyFile(t, os.Args[0], bin, 0o755)
	cmd := exec.Command(bin)
	cmd.Env = append(cleanEnv(), helperEnv+"=mktemp-in", mktempDirEnv+"="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
}
