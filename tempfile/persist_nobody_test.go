//go:build linux

package tempfile_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// prNobodyTests are the tests of Persist and WriteFile against a replaced
// name that must also hold for an unprivileged user, who has no
// CAP_DAC_READ_SEARCH (linkat AT_EMPTY_PATH) and is bound by
// fs.protected_hardlinks: binding the descriptor must work through
// /proc/self/fd for them too.
const prNobodyTests = "^(TestPersistRefusesReplacedName|TestWriteFileRefusesReplacedName|TestPersistWindow|TestWriteFileWindow|TestPersistOverDirectory|TestPersistAcrossDirectories)$"

// TestPersistAsNobody reruns those tests as the user nobody when the
// tests run as root, as CI does.
func TestPersistAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("not root: the tests themselves run as this unprivileged user")
	}
	base, bin := nobodyBin(t, "persistnobody")
	tmp := filepath.Join(base, "tmp")
	mustDo(t, os.Mkdir(tmp, 0o700))
	mustDo(t, os.Chown(tmp, nobody, nobody))

	cmd := exec.Command(bin, "-test.run="+prNobodyTests, "-test.v", "-test.count=1")
	cmd.Dir = tmp
	cmd.Env = append(cleanEnv(), "TMPDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	for _, name := range strings.Split(strings.Trim(prNobodyTests, "^()$"), "|") {
		if !strings.Contains(string(out), "--- PASS: "+name+" ") {
			t.Errorf("%s did not run and pass as nobody:\n%s", name, out)
		}
	}
	if strings.Contains(string(out), "--- SKIP") {
		t.Errorf("something was skipped as nobody:\n%s", out)
	}
}
