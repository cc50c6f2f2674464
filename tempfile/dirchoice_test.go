package tempfile_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/magekit/temp/tempfile"
)

func init() {
	helpers["dir-choice"] = func() int {
		dir, skipped, ok := tempfile.DirChoice()
		fmt.Println(dir, ok)
		for _, err := range skipped {
			var pe *fs.PathError
			if !errors.As(err, &pe) {
				fmt.Println("not a PathError:", err)
				continue
			}
			fmt.Printf("%s|%s|%v|%v\n", pe.Op, pe.Path, errors.Is(err, fs.ErrNotExist), err)
		}
		return 0
	}
}

// TestDirChoice: DirChoice says which directory Dir chose and why each
// candidate before it was skipped, with the variable it came from and a
// reason that does not name the probe's file (a fresh process per case:
// the default is resolved once per process).
func TestDirChoice(t *testing.T) {
	base := t.TempDir()
	good := filepath.Join(base, "good")
	aFile := filepath.Join(base, "a-file")
	missing := filepath.Join(base, "missing")
	mustDo(t, os.Mkdir(good, 0o700))
	mustDo(t, os.WriteFile(aFile, nil, 0o600))
	cases := []struct {
		name            string
		tmpdir, tmp, tp string
		want            []string // the output lines
	}{
		{"usable TMPDIR: nothing skipped", good, "", "", []string{good + " true"}},
		{"missing TMPDIR, file TEMP", missing, aFile, good, []string{
			good + " true",
			fmt.Sprintf("TMPDIR|%[1]s|%[2]v|TMPDIR %[1]s: %[3]v", missing, errors.Is(errNoEntry, fs.ErrNotExist), errNoEntry),
			fmt.Sprintf("TEMP|%[1]s|%[2]v|TEMP %[1]s: %[3]v", aFile, errors.Is(errNotDir, fs.ErrNotExist), errNotDir),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0])
			cmd.Dir = base
			cmd.Env = append(cleanEnv(), helperEnv+"=dir-choice", "TMPDIR="+c.tmpdir, "TEMP="+c.tmp, "TMP="+c.tp)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("child: %v", err)
			}
			if got := strings.Split(strings.TrimSpace(string(out)), "\n"); strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("DirChoice:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestDirChoiceSetDir: a SetDir value is reported as is, nothing probed.
func TestDirChoiceSetDir(t *testing.T) {
	d := filepath.Join(t.TempDir(), "not-checked")
	setDir(t, d)
	dir, skipped, ok := tempfile.DirChoice()
	if dir != d || skipped != nil || !ok {
		t.Fatalf("DirChoice() = %q, %v, %v; want %q, nil, true", dir, skipped, ok, d)
	}
}
