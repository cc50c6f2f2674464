//go:build unix

package tempfile_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/magekit/temp/tempfile"
)

func init() {
	// drop-scope: make a scope, keep only its path, let the garbage
	// collector have the *Scope, then print the path and, for each line
	// read from stdin, write a file of that name into the scope and answer
	// "ok" (or the error). The scope is never cleaned up: the process
	// exits holding it.
	helpers["drop-scope"] = func() int {
		p, err := madeAndDropped()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		// Several cycles, with pauses for the finalizer goroutine: a lock
		// that depends on the *Scope staying reachable is lost by now.
		for range 5 {
			runtime.GC()
			time.Sleep(20 * time.Millisecond)
		}
		fmt.Println(p)
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			if err := os.WriteFile(filepath.Join(p, in.Text()), []byte("data"), 0o600); err != nil {
				fmt.Println(err)
				return 1
			}
			fmt.Println("ok")
		}
		return 0
	}
}

//go:noinline
func madeAndDropped() (string, error) {
	s, err := tempfile.NewScope("dropped")
	if err != nil {
		return "", err
	}
	return s.Path(), nil
}

// TestDroppedScopeStaysLocked (issue 9 item 2): a program that keeps only
// a scope's path, not the *Scope, still holds its lock: the garbage
// collector must not close the lock file under it. Another process's
// Sweep, run between the child's writes, removes nothing; once the child
// exits, the scope is stale and goes.
func TestDroppedScopeStaysLocked(t *testing.T) {
	tmp := privateTmp(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(cleanEnv(), helperEnv+"=drop-scope", "TMPDIR="+tmp)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	mustDo(t, err)
	stdout, err := cmd.StdoutPipe()
	mustDo(t, err)
	mustDo(t, cmd.Start())
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	if err != nil {
		t.Fatalf("child gave no scope: %v", err)
	}
	path := line[:len(line)-1]
	if !lockHeld(t, path+".lock") {
		t.Error("the dropped scope's lock is free while its owner runs")
	}
	var written []string
	for i := range 20 {
		if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 0 {
			t.Fatalf("Sweep while the owner runs removed %q (%v)", removed, err)
		}
		name := "f" + strconv.Itoa(i)
		fmt.Fprintln(stdin, name)
		if ans, err := out.ReadString('\n'); err != nil || ans != "ok\n" {
			t.Fatalf("child writing %s into its scope: %q, %v", name, ans, err)
		}
		written = append(written, name)
	}
	slices.Sort(written)
	if got := entries(t, path); !slices.Equal(got, written) {
		t.Fatalf("the scope holds %q, want %q", got, written)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	io.Copy(io.Discard, out)
	// Exited without Cleanup: now it is stale.
	if removed, err := tempfile.Sweep(tmp); err != nil || !slices.Equal(removed, []string{path}) {
		t.Fatalf("Sweep after the owner exited = %q, %v; want %s", removed, err, path)
	}
}
