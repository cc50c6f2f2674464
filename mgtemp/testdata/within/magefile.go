//go:build mage

// Targets for WithIn (scopes in a directory of the build's choosing) and
// for Env (a child tool's temp files in the scope). Each prints
// "scope <path>" once its scope exists, and "ready" when it waits to be
// killed.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/magefile/mage/sh"

	//mage:import
	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

// In makes a scope in dir with WithIn, puts a file in it and returns.
func In(ctx context.Context, dir string) error {
	return mgtemp.WithIn(ctx, dir, func(ctx context.Context, s *tempfile.Scope) error {
		if got, ok := mgtemp.FromContext(ctx); !ok || got != s {
			return errors.New("FromContext does not give WithIn's scope")
		}
		fmt.Println("scope", s.Path())
		f, err := s.CreateTemp(tempfile.Options{Prefix: "unpacked-", Suffix: ".tar"})
		if err != nil {
			return err
		}
		return f.Close()
	})
}

// InWait makes a scope in dir with WithIn and waits to be killed.
func InWait(ctx context.Context, dir string) error {
	return mgtemp.WithIn(ctx, dir, func(ctx context.Context, s *tempfile.Scope) error {
		fmt.Println("scope", s.Path())
		if err := os.WriteFile(s.Path()+"/big", make([]byte, 1<<20), 0o600); err != nil {
			return err
		}
		fmt.Println("ready")
		time.Sleep(time.Hour)
		return nil
	})
}

// Ok makes a scope in the temp directory with With and returns.
func Ok(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		fmt.Println("scope", s.Path())
		return nil
	})
}

// GoBuild runs `go -C src build -o out .` inside a With scope; with env
// the child's TMPDIR, TEMP and TMP are the scope (tmp.Env()), without it
// the child has the build's own temp directory.
func GoBuild(ctx context.Context, src, out string, env bool) error {
	return mgtemp.With(ctx, func(ctx context.Context, tmp *tempfile.Scope) error {
		fmt.Println("scope", tmp.Path())
		var vars map[string]string
		if env {
			vars = tmp.Env()
		}
		return sh.RunWith(vars, "go", "-C", src, "build", "-o", out, ".")
	})
}
