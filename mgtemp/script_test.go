//go:build unix

package mgtemp_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs the CLI cases in testdata/script with the compiled
// importonly magefile as `mage`, each in its own TMPDIR.
func TestScripts(t *testing.T) {
	bin := needBin(t, "importonly")
	dir := t.TempDir()
	if err := os.Symlink(bin, filepath.Join(dir, "mage")); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			tmp := filepath.Join(env.WorkDir, "tmp")
			env.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
			env.Setenv("TMPDIR", tmp)
			env.Setenv("UID", strconv.Itoa(os.Geteuid()))
			return os.Mkdir(tmp, 0o700)
		},
	})
}
