//go:build mage

// Targets that end in every way DESIGN.md's lifecycle table names. Each
// prints "scope <path>" once its scope exists, and "ready" when it is
// waiting for a signal.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/magefile/mage/mg"

	//mage:import
	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

// fill announces the scope and puts a file and a read-only directory in it.
func fill(s *tempfile.Scope) error {
	fmt.Println("scope", s.Path())
	f, err := s.File(".dat")
	if err != nil {
		return err
	}
	f.Close()
	d, err := s.Mkdir("")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(d, "x"), []byte("x"), 0o400); err != nil {
		return err
	}
	return os.Chmod(d, 0o500)
}

// Ok returns nil.
func Ok(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		if got, ok := mgtemp.FromContext(ctx); !ok || got != s {
			return errors.New("FromContext does not give With's scope")
		}
		return fill(s)
	})
}

// Fail returns an error.
func Fail(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		if err := fill(s); err != nil {
			return err
		}
		return errors.New("boom")
	})
}

// Panic panics.
func Panic(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		if err := fill(s); err != nil {
			return err
		}
		panic("boom")
	})
}

// Honour waits for ctx, then returns.
func Honour(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		if err := fill(s); err != nil {
			return err
		}
		fmt.Println("ready")
		<-ctx.Done()
		return ctx.Err()
	})
}

// Ignore never looks at ctx.
func Ignore(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		if err := fill(s); err != nil {
			return err
		}
		fmt.Println("ready")
		time.Sleep(time.Hour)
		return nil
	})
}

// Deferred uses New and defer Cleanup, and waits for ctx.
func Deferred(ctx context.Context) error {
	s, err := mgtemp.New(ctx)
	if err != nil {
		return err
	}
	defer s.Cleanup()
	if err := fill(s); err != nil {
		return err
	}
	if os.Getenv("WAIT") != "" {
		fmt.Println("ready")
		<-ctx.Done()
	}
	return nil
}

// Build runs Ok as a dependency: its scope is labelled "ok".
func Build(ctx context.Context) {
	mg.CtxDeps(ctx, Ok)
}

type Docker mg.Namespace

// Push is a namespaced target: its scope is labelled "docker:push".
func (Docker) Push(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		return fill(s)
	})
}

// After ends its scope, then waits for ctx: mgtemp's handler must be gone
// by then, so SIGTERM does what it always does.
func After(ctx context.Context) error {
	err := mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error { return fill(s) })
	if err != nil {
		return err
	}
	fmt.Println("ready")
	<-ctx.Done()
	return nil
}

// Helped makes its scope through a helper function: the label is still
// the target's.
func Helped(ctx context.Context) error { return helper(ctx) }

func helper(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error { return fill(s) })
}
