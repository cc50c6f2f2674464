package mgtemp

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/magekit/temp/tempfile"
)

// ctxKey is the context key under which With stores its scope.
type ctxKey struct{}

// With runs fn with a new scope, labelled with the calling target's name,
// and removes the scope when fn returns, fails or panics (the panic goes
// on). The scope is also in fn's context: see [FromContext]. With returns
// fn's error, joined with the cleanup's if that failed; a scope whose
// cleanup failed is left to the sweep of a later run.
func With(ctx context.Context, fn func(context.Context, *tempfile.Scope) error) (err error) {
	s, wait, err := newScope(ctx, targetName())
	if err != nil {
		return err
	}
	defer func() {
		cerr := cleanup(s)
		if werr := wait(); werr != nil {
			cerr = werr // the watchdog removed the scope, or failed to
		}
		if cerr != nil {
			if err == nil {
				err = cerr // as it is: a *multierror.Error
			} else {
				err = errors.Join(err, cerr)
			}
		}
	}()
	return fn(context.WithValue(ctx, ctxKey{}, s), s)
}

// New returns a new scope, labelled with the calling target's name, for
// the `defer s.Cleanup()` style. Until Cleanup, the watchdog and the
// signal handler guard it as they guard With's; without a Cleanup it is
// swept once the process is gone.
func New(ctx context.Context) (*tempfile.Scope, error) {
	s, _, err := newScope(ctx, targetName())
	return s, err
}

// FromContext returns the scope that With put in ctx.
func FromContext(ctx context.Context) (*tempfile.Scope, bool) {
	s, ok := ctx.Value(ctxKey{}).(*tempfile.Scope)
	return s, ok
}

// newScope sweeps what dead processes left, then makes and guards a
// scope; wait, after Cleanup, waits for the guard to stand down (see guard).
func newScope(ctx context.Context, label string) (s *tempfile.Scope, wait func() error, err error) {
	if removed, err := tempfile.Sweep(""); err != nil {
		logf("sweep: %v", err) // a stale scope we cannot remove must not stop the build
	} else {
		for _, p := range removed {
			logf("swept stale scope %s", p)
		}
	}
	s, err = tempfile.NewScope(label)
	if err != nil {
		return nil, nil, err
	}
	if keepAll() {
		s.Keep()
		fmt.Fprintf(os.Stderr, "mgtemp: keeping scope %s (MGTEMP_KEEP=1)\n", s.Path())
	} else {
		logf("created scope %s", s.Path())
	}
	return s, guard(ctx, s), nil
}

// cleanup removes s and logs the outcome. A scope already cleaned up (by
// the watchdog or the signal handler, which logged it) is left alone.
func cleanup(s *tempfile.Scope) error {
	select {
	case <-s.Done():
		return nil
	default:
	}
	err := s.Cleanup()
	switch {
	case err != nil:
		fmt.Fprintf(os.Stderr, "mgtemp: cleanup of %s: %v\n", s.Path(), err)
	case !keepAll():
		logf("removed scope %s", s.Path())
	}
	return err
}
