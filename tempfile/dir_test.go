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
	helpers["print-dir"] = func() int {
		fmt.Println(tempfile.Dir())
		return 0
	}
}

// TestDirCachedAndRestored: the default is resolved once and cached;
// SetDir overrides it; SetDir("") restores the default, resolved anew.
func TestDirCachedAndRestored(t *testing.T) {
	d1, d2, d3 := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", d1)
	tempfile.SetDir("")
	t.Cleanup(func() { tempfile.SetDir("") })
	if got := tempfile.Dir(); got != d1 {
		t.Fatalf("Dir() = %q, want $TMPDIR %q", got, d1)
	}
	t.Setenv("TMPDIR", d2)
	if got := tempfile.Dir(); got != d1 {
		t.Fatalf("Dir() = %q after $TMPDIR changed, want the cached %q", got, d1)
	}
	tempfile.SetDir(d3)
	if got := tempfile.Dir(); got != d3 {
		t.Fatalf("Dir() = %q after SetDir, want %q", got, d3)
	}
	tempfile.SetDir("")
	if got := tempfile.Dir(); got != d2 {
		t.Fatalf("Dir() = %q after SetDir(\"\"), want the default resolved anew, %q", got, d2)
	}
}

// TestSetDirDoesNotValidate: as in the classic module, a bad SetDir value is kept and
// surfaces as a clear error at the next create.
func TestSetDirDoesNotValidate(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	setDir(t, missing)
	if got := tempfile.Dir(); got != missing {
		t.Fatalf("Dir() = %q, want the unchecked SetDir value %q", got, missing)
	}
	_, err := tempfile.CreateTemp(tempfile.Options{})
	if !isNotExist(err) || !strings.Contains(err.Error(), missing) {
		t.Fatalf("CreateTemp in a missing Dir: %v, want fs.ErrNotExist naming %s", err, missing)
	}
}

// TestSetDirWithNUL: a NUL in the SetDir value fails every create with
// fs.ErrInvalid and creates nothing, rather than letting the kernel read
// the directory up to the NUL ("x" here) and create things there.
func TestSetDirWithNUL(t *testing.T) {
	base := t.TempDir()
	setDir(t, filepath.Join(base, "x\x00y"))
	creators := []struct {
		name string
		make func() error
	}{
		{"CreateTemp", func() error { _, err := tempfile.CreateTemp(tempfile.Options{}); return err }},
		{"TemporaryFile", func() error { _, err := tempfile.TemporaryFile(""); return err }},
		{"NewFile", func() error { _, err := tempfile.NewFile(tempfile.Options{}); return err }},
		{"MkdirTemp", func() error { _, err := tempfile.MkdirTemp(tempfile.Options{}); return err }},
		{"NewScope", func() error { _, err := tempfile.NewScope("s"); return err }},
		{"Mktemp", func() error { _, err := tempfile.Mktemp(""); return err }},
		{"Sweep", func() error { _, err := tempfile.Sweep(""); return err }},
		{"Scopes", func() error { _, err := tempfile.Scopes(""); return err }},
	}
	for _, c := range creators {
		err := c.make()
		var pe *fs.PathError
		if !errors.Is(err, fs.ErrInvalid) || !errors.As(err, &pe) {
			t.Errorf("%s in a Dir holding a NUL: %v, want a *fs.PathError matching fs.ErrInvalid", c.name, err)
		}
	}
	if got := entries(t, base); len(got) != 0 {
		t.Fatalf("creates in %q made %v in %s", "x\x00y", got, base)
	}
}

// TestDirFallsThrough runs a fresh process per case, since the default is
// resolved once per process: each candidate that cannot take a file is
// skipped for the next.
func TestDirFallsThrough(t *testing.T) {
	base := t.TempDir()
	good := filepath.Join(base, "good")
	aFile := filepath.Join(base, "a-file")
	rel := "relative"
	for _, p := range []string{good, filepath.Join(base, rel)} {
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(aFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name            string
		tmpdir, tmp, tp string // $TMPDIR, $TEMP, $TMP
		want            string
	}{
		{"missing TMPDIR falls to TEMP", filepath.Join(base, "missing"), good, "", good},
		{"TMPDIR a file, TEMP missing, falls to TMP", aFile, filepath.Join(base, "nope"), good, good},
		{"all unset: /tmp", "", "", "", lastResortDir()},
		{"all missing: /tmp", filepath.Join(base, "x"), filepath.Join(base, "y"), filepath.Join(base, "z"), lastResortDir()},
		{"relative TMPDIR made absolute", rel, "", "", filepath.Join(base, rel)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0])
			cmd.Dir = base
			cmd.Env = append(cleanEnv(), helperEnv+"=print-dir", "TMPDIR="+c.tmpdir, "TEMP="+c.tmp, "TMP="+c.tp)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("child: %v", err)
			}
			if got := strings.TrimSpace(string(out)); got != c.want {
				t.Fatalf("Dir() = %q, want %q", got, c.want)
			}
		})
	}
	// The probe leaves nothing behind in the candidates it tried.
	mustEmpty(t, good)
}

// cleanEnv is the environment without the variables Dir reads.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "TMPDIR", "TEMP", "TMP", helperEnv:
			continue
		}
		env = append(env, kv)
	}
	return env
}
