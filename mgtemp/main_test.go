package mgtemp_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/magefile/mage/mage"
	"go.uber.org/goleak"
)

// bins holds the compiled test magefiles, by testdata directory.
var bins = map[string]string{}

// TestMain compiles the test magefiles once with mage itself (as
// `mage -compile` does), so every end-to-end case runs a real mage binary.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mgtemp-bins")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	flag.Parse()
	code := func() int {
		defer os.RemoveAll(dir)
		if !testing.Short() {
			for _, name := range []string{"lifecycle", "importonly", "targets"} {
				out := filepath.Join(dir, name)
				var buf bytes.Buffer
				if rc := mage.Invoke(mage.Invocation{
					Dir: filepath.Join("testdata", name), CompileOut: out,
					Stdout: &buf, Stderr: &buf,
				}); rc != 0 {
					fmt.Fprintf(os.Stderr, "compiling testdata/%s: exit %d\n%s", name, rc, buf.Bytes())
					return 1
				}
				bins[name] = out
			}
		} else if wineDir := os.Getenv("MGTEMP_WINE_DIR"); wineDir != "" {
			// Under Wine no Go toolchain runs: .ci/wine.sh compiles the
			// magefiles for Windows beforehand and names the directory.
			for _, name := range []string{"lifecycle", "importonly", "targets", "within"} {
				if exe := filepath.Join(wineDir, name+".exe"); fileExists(exe) {
					bins[name] = exe
				}
			}
		}
		return goleakRun(m)
	}()
	os.Exit(code)
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func goleakRun(m *testing.M) int {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			return 1
		}
	}
	return code
}

func needBin(t *testing.T, name string) string {
	t.Helper()
	bin, ok := bins[name]
	if !ok {
		t.Skip("-short: the end-to-end suite compiles magefiles; CI runs it")
	}
	return bin
}
