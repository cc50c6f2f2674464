package tempfile_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/magekit/temp/tempfile"
)

func init() {
	// fallback-one: make a scope with a file in it, print "made PATH",
	// and clean it up.
	helpers["fallback-one"] = func() int {
		s, err := tempfile.NewScope("u")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println("made", s.Path())
		if err := os.WriteFile(filepath.Join(s.Path(), "f"), []byte("x"), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if err := s.Cleanup(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	}
}

// TestParentFallbackUnlistable: a temp directory that its users may
// search and write in but not list (mode 1733, a known hardening of
// /tmp) whose per-user parent another user made first: the scope still
// goes to a fresh private fallback. Looking for an existing fallback
// needs the listing; making a new one does not, and a refused parent
// must never stop a build.
func TestParentFallbackUnlistable(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run as nobody in a directory nobody may not list")
	}
	base, bin := nobodyBin(t, "unlistable")
	tmp := filepath.Join(base, "tmp")
	mustDo(t, os.Mkdir(tmp, 0o700))
	mustDo(t, os.Chmod(tmp, 0o1733))
	trap := userParentOf(tmp, strconv.Itoa(nobody))
	mustDo(t, os.Mkdir(trap, 0o700)) // root's: refused by nobody

	cmd := exec.Command(bin)
	cmd.Dir = base
	cmd.Env = append(cleanEnv(), helperEnv+"=fallback-one", "TMPDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("NewScope as nobody: %v\n%s", err, stderr.String())
	}
	made := strings.TrimPrefix(strings.TrimSpace(string(out)), "made ")
	if !strings.HasPrefix(filepath.Dir(made), trap+".") {
		t.Fatalf("scope %q, want it in a fallback %s.*", made, trap)
	}
	mustEmpty(t, trap)
}
