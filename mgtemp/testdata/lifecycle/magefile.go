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
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
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

// ---- Signals, dependencies and contexts: e2e_signals_test.go ----

// slowScope fills s with a sentinel file, then with $FILES (20000 by
// default) files in a subdirectory — past what Cleanup unlinks by name,
// so its Cleanup takes a while — and prints "cleaning" once that Cleanup
// has begun (the sentinel, the first name Cleanup unlinks, is gone).
func slowScope(ctx context.Context, s *tempfile.Scope) error {
	fmt.Println("scope", s.Path())
	sentinel, err := s.File(".sentinel")
	if err != nil {
		return err
	}
	sentinel.Close()
	bulk, err := s.Mkdir(".bulk")
	if err != nil {
		return err
	}
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("FILES")); err == nil {
		n = v
	}
	for i := range n {
		if err := os.WriteFile(filepath.Join(bulk, strconv.Itoa(i)), nil, 0o600); err != nil {
			return err
		}
	}
	go func() {
		for {
			if _, err := os.Lstat(sentinel.Name()); err != nil {
				fmt.Println("cleaning")
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	fmt.Println("filled")
	return nil
}

// BigClean returns at once with a scope whose Cleanup is slow.
func BigClean(ctx context.Context) error { return mgtemp.With(ctx, slowScope) }

// Next prints "next ran": it must never run once a SIGTERM was taken.
func Next() { fmt.Println("next ran") }

// Chain runs BigClean, then Next, as serial dependencies.
func Chain() { mg.SerialDeps(BigClean, Next) }

// ignoreA and ignoreB never look at ctx (a dependency's ctx is
// context.Background() anyway).
func ignoreA(ctx context.Context) error { return Ignore(ctx) }
func ignoreB(ctx context.Context) error { return Ignore(ctx) }

// DepsIgnore runs two scopes as mg.Deps dependencies.
func DepsIgnore() { mg.Deps(ignoreA, ignoreB) }

// SerialIgnore runs one scope as an mg.SerialDeps dependency.
func SerialIgnore() { mg.SerialDeps(ignoreA) }

// Timeout calls With under its own 100 ms timeout and keeps using the
// scope for longer than mgtemp.Grace: a derived context running out is
// the target's business, not an interrupt.
func Timeout(ctx context.Context) error {
	tctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	return mgtemp.With(tctx, func(ctx context.Context, s *tempfile.Scope) error {
		if err := fill(s); err != nil {
			return err
		}
		for end := time.Now().Add(mgtemp.Grace + time.Second); time.Now().Before(end); {
			f, err := s.File(".tick")
			if err != nil {
				return fmt.Errorf("the scope went while the target used it: %w", err)
			}
			f.Close()
			time.Sleep(100 * time.Millisecond)
		}
		<-ctx.Done() // long over
		fmt.Println("done")
		return nil
	})
}

// TwoStage handles SIGTERM itself: the first is a graceful shutdown that
// still uses the scope for a second, a second SIGTERM forces it out
// (exit 3).
func TwoStage(ctx context.Context) error {
	mgtemp.LeaveSignals(syscall.SIGTERM)
	term := make(chan os.Signal, 2)
	signal.Notify(term, syscall.SIGTERM)
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		if err := fill(s); err != nil {
			return err
		}
		fmt.Println("ready")
		<-term
		fmt.Println("graceful")
		end := time.After(time.Second)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-term:
				fmt.Println("forced")
				os.Exit(3)
			case <-end:
				fmt.Println("shut down")
				return nil
			case <-tick.C:
				f, err := s.File(".state")
				if err != nil {
					return fmt.Errorf("the scope went during the graceful shutdown: %w", err)
				}
				f.Close()
			}
		}
	})
}

// TwoScopes makes a scope and prints "ready", waits until the file
// $GO_ON exists, then makes a second scope.
func TwoScopes(ctx context.Context) error {
	err := mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		if err := fill(s); err != nil {
			return err
		}
		fmt.Println("ready")
		for {
			if _, err := os.Stat(os.Getenv("GO_ON")); err == nil {
				return nil
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	if err != nil {
		return err
	}
	return mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error { return fill(s) })
}

// PidHonour prints "pid <pid>", then runs as Honour.
func PidHonour(ctx context.Context) error {
	fmt.Println("pid", os.Getpid())
	return Honour(ctx)
}

// Nested holds a scope within a scope, and waits for ctx.
func Nested(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, outer *tempfile.Scope) error {
		if err := fill(outer); err != nil {
			return err
		}
		return mgtemp.With(ctx, func(ctx context.Context, inner *tempfile.Scope) error {
			if err := fill(inner); err != nil {
				return err
			}
			fmt.Println("ready")
			<-ctx.Done()
			return nil
		})
	})
}

// awaitInterrupt has no scope: it prints "waiting", waits for Ctrl-C (its
// own handler takes it, as mage's does), and returns.
func awaitInterrupt() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	fmt.Println("waiting")
	<-c
	signal.Stop(c)
}

// LateScope runs, as serial dependencies, Ok (a scope, gone at once),
// awaitInterrupt (no scope: Ctrl-C comes then) and ignoreA, whose scope,
// made after the Ctrl-C, must still go before mage gives up 5 s later.
func LateScope() { mg.SerialDeps(Ok, awaitInterrupt, ignoreA) }

// BigCleanNew is BigClean in the `defer s.Cleanup()` style of New.
func BigCleanNew(ctx context.Context) error {
	s, err := mgtemp.New(ctx)
	if err != nil {
		return err
	}
	defer s.Cleanup()
	return slowScope(ctx, s)
}

// ChainNew runs BigCleanNew, then Next, as serial dependencies.
func ChainNew() { mg.SerialDeps(BigCleanNew, Next) }
