package mgtemp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/magekit/temp/internal/scopehook"
	"github.com/magekit/temp/tempfile"
)

// ctxKey is the context key under which With stores its scope.
type ctxKey struct{}

// With runs fn with a new scope, labelled with the calling target's name,
// and removes the scope when fn returns, fails or panics (the panic goes
// on). The scope is also in fn's context: see [FromContext]. With returns
// fn's error, joined with the cleanup's if that failed; a scope whose
// cleanup failed is left to the sweep of a later run.
//
// If a SIGTERM or SIGHUP has been taken meanwhile (see the package
// documentation), With does not return: the process is ending by that
// signal, and nothing after With may run.
func With(ctx context.Context, fn func(context.Context, *tempfile.Scope) error) error {
	return withIn(ctx, "", targetName(), fn)
}

// withIn is With and WithIn: fn runs with a guarded scope labelled label,
// in dir ("" = tempfile.Dir()).
func withIn(ctx context.Context, dir, label string, fn func(context.Context, *tempfile.Scope) error) (err error) {
	g, wait, err := newScope(dir, label, false)
	if err != nil {
		return err
	}
	defer func() {
		cerr := g.cleanup() // the watchdog's or the handler's, if theirs came first
		wait()
		registry.holdIfDying()
		if cerr != nil {
			if err == nil {
				err = cerr // as it is: a *multierror.Error
			} else {
				err = errors.Join(err, cerr)
			}
		}
	}()
	return fn(context.WithValue(ctx, ctxKey{}, g.s), g.s)
}

// New returns a new scope, labelled with the calling target's name, for
// the `defer s.Cleanup()` style. Until its Cleanup — not until the
// target returns: a scope New made lives on, guarded, until Cleanup
// runs — the watchdog and the signal handler guard it as they guard
// With's; without a Cleanup it is swept once the process is gone.
//
// `defer s.Cleanup()` drops Cleanup's error: a scope that could not be
// removed then goes unreported (under `mage -v` too) until a later sweep
// takes it. To see it, return it:
//
//	defer func() { err = errors.Join(err, s.Cleanup()) }()
//
// or use [With], which returns it.
//
// ctx is not watched: as for With, only an interrupt arms the watchdog.
// As With does not return once a SIGTERM or SIGHUP has been taken, so a
// Cleanup of the scope that ends while one is being handled does not
// return: the process is ending by that signal, and nothing after it —
// the rest of the target, a later target — may run.
func New(ctx context.Context) (*tempfile.Scope, error) {
	g, _, err := newScope("", targetName(), true)
	if err != nil {
		return nil, err
	}
	return g.s, nil
}

// FromContext returns the scope that [With] put in ctx. Mage passes a
// target's context on to its dependencies only through mg.CtxDeps and
// mg.SerialCtxDeps: a dependency run by mg.Deps or mg.SerialDeps gets
// context.Background(), where FromContext finds nothing.
func FromContext(ctx context.Context) (*tempfile.Scope, bool) {
	s, ok := ctx.Value(ctxKey{}).(*tempfile.Scope)
	return s, ok
}

// sweepOnce sweeps what dead processes left, once per process: the first
// With or New does it, so a target's cost does not grow with the scopes
// other builds hold, and what a killed run left is gone before the next
// run's first scope. A failed sweep is only logged: a stale scope we
// cannot remove must not stop the build, and `mage tmp:clean` says more.
var sweepOnce sync.Once

func sweep() {
	sweepOnce.Do(func() {
		removed, err := tempfile.Sweep("")
		if err != nil {
			logf("sweep: %v", err)
		}
		for _, p := range removed {
			logf("swept stale scope %s", p)
		}
	})
}

// newScope sweeps (once per process, and once per dir: see sweepIn),
// then makes and guards a scope in dir ("" = tempfile.Dir()); wait, after
// its cleanup, waits for the guard to stand down (see guard). hooked is
// for New's scopes, which the program cleans up itself (see
// guarded.afterCleanup).
func newScope(dir, label string, hooked bool) (g *guarded, wait func(), err error) {
	registry.holdIfDying() // the process is ending: no new scope
	sweepIn(dir)
	s, err := tempfile.NewScopeIn(dir, label)
	if err != nil {
		if dir != "" {
			return nil, nil, err // the caller's directory: Dir()'s candidates are beside the point
		}
		return nil, nil, explainDir(err) // every temp directory candidate and why it failed
	}
	if keepAll() {
		s.Keep()
		fmt.Fprintf(os.Stderr, "mgtemp: keeping scope %s (MGTEMP_KEEP=1)\n", s.Path())
	} else {
		logf("created scope %s", s.Path())
	}
	g = &guarded{s: s, hooked: hooked}
	if hooked {
		g.released = make(chan struct{})
		scopehook.AfterCleanup(s, g.afterCleanup) // before the guard shares s
	}
	return g, guard(g), nil
}
