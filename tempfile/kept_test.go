package tempfile_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/magekit/temp/tempfile"
)

func init() {
	helpers["hold-kept-scope"] = func() int {
		s, err := tempfile.NewScope("keeper")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		s.Keep()
		fmt.Println(s.Path())
		io.Copy(io.Discard, os.Stdin)
		return 0
	}
}

// TestSweepKept: SweepKept removes the kept scopes whose owner is gone
// (read-only contents included) and names them; it leaves a kept scope
// this process or another live one still holds, and ordinary scopes.
func TestSweepKept(t *testing.T) {
	tmp := privateTmp(t)
	done, err := tempfile.NewScope("done")
	mustDo(t, err)
	ro := filepath.Join(done.Path(), "ro")
	mustDo(t, os.Mkdir(ro, 0o700))
	mustDo(t, os.WriteFile(filepath.Join(ro, "f"), []byte("x"), 0o400))
	mustDo(t, os.Chmod(ro, 0o500))
	done.Keep()
	mustDo(t, done.Cleanup())

	held, err := tempfile.NewScope("held")
	mustDo(t, err)
	held.Keep()
	defer held.Cleanup()
	plain, err := tempfile.NewScope("plain")
	mustDo(t, err)
	defer plain.Cleanup()

	cmd, stdin, stdout := startChild(t, "hold-kept-scope", "TMPDIR="+tmp)
	other, err := stdout.ReadString('\n')
	mustDo(t, err)
	other = other[:len(other)-1]

	removed, err := tempfile.SweepKept("")
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0] != done.Path() {
		t.Fatalf("SweepKept removed %q, want only %s", removed, done.Path())
	}
	for _, p := range []string{done.Path(), done.Path() + ".kept", done.Path() + ".lock"} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s left: %v", p, err)
		}
	}
	for _, p := range []string{held.Path(), plain.Path(), other} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
	// Once its owner has exited, the other process's kept scope goes too.
	stdin.Close()
	cmd.Wait()
	removed, err = tempfile.SweepKept("")
	if err != nil || len(removed) != 1 || removed[0] != other {
		t.Fatalf("SweepKept after the owner exited: %q, %v; want %s", removed, err, other)
	}
}
