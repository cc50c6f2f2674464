// Package examples_test runs the examples for real and checks what they
// print and leave behind.
package examples_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/magefile/mage/mage"
)

// compile builds the archive example's magefile with mage.
func compile(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("MGTEMP_WINE_DIR"); dir != "" {
		// Under Wine, where no Go toolchain runs: .ci/wine.sh compiled it
		// for Windows beforehand.
		return filepath.Join(dir, "archive.exe")
	}
	if testing.Short() {
		t.Skip("-short: compiling a magefile; CI runs this")
	}
	out := filepath.Join(t.TempDir(), "mage-archive")
	var buf bytes.Buffer
	if rc := mage.Invoke(mage.Invocation{Dir: "archive", CompileOut: out, Stdout: &buf, Stderr: &buf}); rc != 0 {
		t.Fatalf("mage -compile: exit %d\n%s", rc, buf.Bytes())
	}
	return out
}

// noScopesLeft fails if tmp holds anything but the empty per-user parent.
func noScopesLeft(t *testing.T, tmp string) {
	t.Helper()
	parent := "mgtemp-" + strconv.Itoa(os.Geteuid())
	if runtime.GOOS == "windows" {
		parent = "mgtemp-" + os.Getenv("USERNAME") // no uid there
	}
	es, _ := os.ReadDir(tmp)
	for _, e := range es {
		if e.Name() != parent {
			t.Errorf("left in TMPDIR: %s", e.Name())
			continue
		}
		inner, _ := os.ReadDir(filepath.Join(tmp, parent))
		for _, i := range inner {
			t.Errorf("scope left: %s", i.Name())
		}
	}
}

func TestArchiveExample(t *testing.T) {
	bin := compile(t)
	work, tmp := t.TempDir(), t.TempDir()
	cmd := exec.Command(bin, "build")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if got := string(out); got != "wrote dist/site.tar.gz: 4 files\n" {
		t.Fatalf("build printed %q", got)
	}
	f, err := os.Open(filepath.Join(work, "dist", "site.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
	slices.Sort(names)
	want := []string{"about.html", "blog/first.txt", "css/site.css", "index.html"}
	if !slices.Equal(names, want) {
		t.Fatalf("archive holds %q, want %q", names, want)
	}
	if es, _ := os.ReadDir(filepath.Join(work, "dist")); len(es) != 1 {
		t.Fatalf("dist holds %d entries: a temp file was left", len(es))
	}
	noScopesLeft(t, tmp)
}

func TestPipelineExample(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("pipeline.sh is a POSIX shell script")
	}
	bin := compile(t)
	tmp := t.TempDir()
	cmd := exec.Command("sh", "pipeline.sh")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "MAGE="+bin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pipeline: %v\n%s", err, stderr.Bytes())
	}
	if got := strings.Fields(string(out)); !slices.Equal(got, []string{"apple", "fig", "pear"}) {
		t.Fatalf("pipeline printed %q", out)
	}
	if es, _ := os.ReadDir(tmp); len(es) != 0 {
		t.Fatalf("the pipeline left %d files in TMPDIR", len(es))
	}
}
