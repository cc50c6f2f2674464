package tempfile_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/magekit/temp/tempfile"
)

func init() {
	// churn: make scopes with files, a read-only directory and a kept-open
	// file, sweep, check the scope is still whole, clean up; CHURN_ROUNDS
	// times, or until killed if 0. A live scope found damaged is exit 3.
	helpers["churn"] = func() int {
		n, _ := strconv.Atoi(os.Getenv("CHURN_ROUNDS"))
		fmt.Println("started")
		for i := 0; n == 0 || i < n; i++ {
			s, err := tempfile.NewScope("churn")
			if err != nil {
				fmt.Fprintln(os.Stderr, "NewScope:", err)
				return 1
			}
			f, err := s.File(".dat")
			if err != nil {
				fmt.Fprintln(os.Stderr, "File:", err)
				return 1
			}
			d, err := s.Mkdir("")
			if err == nil {
				err = os.WriteFile(filepath.Join(d, "x"), []byte("x"), 0o400)
			}
			if err == nil {
				err = os.Chmod(d, 0o500)
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "Mkdir:", err)
				return 1
			}
			if _, err := tempfile.Sweep(""); err != nil {
				fmt.Fprintln(os.Stderr, "Sweep:", err)
				return 1
			}
			for _, p := range []string{s.Path(), f.Name(), filepath.Join(d, "x")} {
				if _, err := os.Lstat(p); err != nil {
					fmt.Fprintln(os.Stderr, "LIVE SCOPE DAMAGED:", err)
					return 3
				}
			}
			f.Close()
			if err := s.Cleanup(); err != nil {
				fmt.Fprintln(os.Stderr, "Cleanup:", err)
				return 1
			}
		}
		return 0
	}
}

func startChurn(t *testing.T, tmp string, n int) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(cleanEnv(), helperEnv+"=churn", "TMPDIR="+tmp, "CHURN_ROUNDS="+strconv.Itoa(n))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	mustDo(t, err)
	mustDo(t, cmd.Start())
	if l, err := bufio.NewReader(out).ReadString('\n'); err != nil || l != "started\n" {
		t.Fatalf("churn did not start: %q %v %s", l, err, stderr.String())
	}
	return cmd, &stderr
}

// TestKillNineAnywhere kills processes at random points of scope
// creation, file creation, cleanup and sweep, while a witness process
// churns beside them checking that its live scopes are never touched.
// After one Sweep nothing of ours may be left.
func TestKillNineAnywhere(t *testing.T) {
	tmp := fastTmp(t)
	witness, wErr := startChurn(t, tmp, 0)
	n := rounds(500)
	rng := rand.New(rand.NewPCG(1, 2))
	for range n {
		cmd, stderr := startChurn(t, tmp, 0)
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		kill9(t, cmd.Process)
		err := cmd.Wait()
		if !killed(cmd.ProcessState) {
			t.Fatalf("a churning process ended by itself (%v): %s", err, stderr.String())
		}
	}
	kill9(t, witness.Process)
	witness.Wait()
	if !killed(witness.ProcessState) {
		t.Fatalf("the witness stopped by itself: %s", wErr.String())
	}
	removed, err := tempfile.Sweep(tmp)
	if err != nil {
		t.Fatal(err)
	}
	mustEmpty(t, userParent(tmp))
	t.Logf("%d processes killed at random points; one Sweep removed %d leftover scopes; nothing left", n, len(removed))
}

// TestSweepVersusCreation runs 4 processes that each make, check, sweep
// and clean up scopes as fast as they can: none may ever find its live
// scope swept by another.
func TestSweepVersusCreation(t *testing.T) {
	tmp := fastTmp(t)
	n := rounds(10000)
	type proc struct {
		cmd    *exec.Cmd
		stderr *strings.Builder
	}
	var procs []proc
	for range 4 {
		cmd, stderr := startChurn(t, tmp, n)
		procs = append(procs, proc{cmd, stderr})
	}
	for _, p := range procs {
		if err := p.cmd.Wait(); err != nil {
			t.Fatalf("churning process: %v\n%s", err, p.stderr.String())
		}
	}
	mustEmpty(t, userParent(tmp))
	t.Logf("4 processes x %d rounds of create, sweep, check, cleanup: 0 live scopes swept", n)
}
