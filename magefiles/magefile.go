//go:build mage

// The project's own build. Run targets with `go tool mage <target>`.
package main

import (
	"fmt"
	"strings"

	"github.com/magefile/mage/mg"
	"github.com/magefile/mage/sh"

	//mage:import
	_ "github.com/magekit/temp/mgtemp"
)

// staticcheck is pinned so that every machine lints alike.
const staticcheck = "honnef.co/go/tools/cmd/staticcheck@v0.8.2"

// Test runs every test with the race detector.
func Test() error {
	return sh.RunV("go", "test", "-race", "-count=1", "./...")
}

// Lint checks formatting, vets for Linux, macOS and Windows, and runs staticcheck.
func Lint() error {
	files, err := sh.Output("git", "ls-files", "*.go")
	if err != nil {
		return err
	}
	out, err := sh.Output("gofmt", append([]string{"-l"}, strings.Fields(files)...)...)
	if err != nil {
		return err
	}
	if out != "" {
		return fmt.Errorf("gofmt would change:\n%s", out)
	}
	for _, goos := range []string{"", "windows", "darwin"} {
		env := map[string]string{}
		if goos != "" {
			env["GOOS"] = goos
		}
		if err := sh.RunWithV(env, "go", "vet", "./..."); err != nil {
			return fmt.Errorf("go vet (GOOS=%s): %w", goos, err)
		}
	}
	return sh.RunV("go", "run", staticcheck, "./...")
}

// CI runs the lint and test steps of .ci/run (not its magefile, contract
// and 32-bit checks).
func CI() {
	mg.SerialDeps(Lint, Test)
}
