//go:build mage

// Targets whose names mage spells in ways a label must follow: namespaced,
// mixed case, and mgtemp imported under an alias (t:tmp:…).
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/magefile/mage/mg"

	//mage:import t
	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

type Tools mg.Namespace

// Install puts a bin directory from its scope on PATH and runs a tool
// from it, as a tools:install target of a real project does.
func (Tools) Install(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		bin, err := s.Mkdir(".bin")
		if err != nil {
			return err
		}
		// The tool is a shell script, a batch file on Windows: either
		// way the shell finds it by PATH.
		tool, script, shell := "hello-tool", "#!/bin/sh\necho tool ran\n", []string{"sh", "-c"}
		if runtime.GOOS == "windows" {
			tool, script, shell = "hello-tool.bat", "@echo tool ran\r\n", []string{"cmd", "/c"}
		}
		if err := os.WriteFile(filepath.Join(bin, tool), []byte(script), 0o700); err != nil {
			return err
		}
		cmd := exec.Command(shell[0], shell[1], "hello-tool")
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		fmt.Println("scope", s.Path())
		return cmd.Run()
	})
}

type Test mg.Namespace

// E2eCerts prints its scope: its label is test:e2eCerts, as mage -l shows.
func (Test) E2eCerts(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		fmt.Println("scope", s.Path())
		return nil
	})
}

// BuildHTTPServer: buildHTTPServer.
func BuildHTTPServer(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		fmt.Println("scope", s.Path())
		return nil
	})
}
