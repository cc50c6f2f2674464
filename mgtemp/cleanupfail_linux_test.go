package mgtemp_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-multierror"
	"go.uber.org/goleak"

	"github.com/magekit/temp/internal/immutable"
	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

// TestWithCleanupFails: when the scope cannot be removed, With still
// returns, with fn's error and every cleanup failure, and leaves no
// handler or goroutine behind; a later sweep finishes once it can.
func TestWithCleanupFails(t *testing.T) {
	defer goleak.VerifyNone(t)
	tmp := setTmp(t)
	boom := errors.New("boom")
	var stuck, path string
	var immErr error
	done := make(chan error, 1)
	go func() {
		done <- mgtemp.With(context.Background(), func(ctx context.Context, s *tempfile.Scope) error {
			path = s.Path()
			stuck = filepath.Join(path, "stuck")
			if err := os.WriteFile(stuck, nil, 0o600); err != nil {
				return err
			}
			if immErr = immutable.Set(stuck, true); immErr != nil {
				return nil
			}
			return boom
		})
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("With hangs when its Cleanup fails")
	}
	if stuck == "" {
		t.Fatal("fn did not run")
	}
	if immErr != nil {
		t.Skipf("cannot set the immutable attribute here (%v): needs root on ext4", immErr)
	}
	defer immutable.Set(stuck, false)
	var me *multierror.Error
	if !errors.Is(err, boom) || !errors.As(err, &me) {
		t.Fatalf("With = %v, want fn's error joined with the *multierror.Error of the cleanup", err)
	}
	if mgtemp.HandlerInstalled() {
		t.Fatal("a handler outlived With")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the scope that could not be removed is gone: %v", err)
	}
	if err := immutable.Set(stuck, false); err != nil {
		t.Fatal(err)
	}
	// The failed scope was released: the next sweep (the next With's, or
	// tmp:clean) finishes it.
	if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 1 || removed[0] != path {
		t.Fatalf("Sweep = %q, %v; want the scope whose cleanup failed", removed, err)
	}
}

// TestWithCleanupFailsAlone: fn succeeds, the cleanup fails: With
// returns the cleanup's *multierror.Error itself.
func TestWithCleanupFailsAlone(t *testing.T) {
	defer goleak.VerifyNone(t)
	tmp := setTmp(t)
	var stuck string
	var immErr error
	err := mgtemp.With(context.Background(), func(ctx context.Context, s *tempfile.Scope) error {
		stuck = filepath.Join(s.Path(), "stuck")
		if err := os.WriteFile(stuck, nil, 0o600); err != nil {
			return err
		}
		immErr = immutable.Set(stuck, true)
		return nil
	})
	if immErr != nil {
		t.Skipf("cannot set the immutable attribute here (%v): needs root on ext4", immErr)
	}
	defer immutable.Set(stuck, false)
	if _, ok := err.(*multierror.Error); !ok {
		t.Fatalf("With = %v (%T), want the cleanup's *multierror.Error", err, err)
	}
	// The next With's sweep cannot remove that scope either: the build
	// goes on all the same.
	ran := false
	if err := mgtemp.With(context.Background(), func(context.Context, *tempfile.Scope) error {
		ran = true
		return nil
	}); err != nil || !ran {
		t.Fatalf("With after a stale scope it cannot sweep = %v, ran fn: %v; want nil, true", err, ran)
	}
	immutable.Set(stuck, false)
	if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 1 {
		t.Fatalf("Sweep = %q, %v", removed, err)
	}
}

// TestWatchdogCleanupFails: the watchdog removes the scope of a target
// that ignores its cancelled context, and that removal fails. With's own
// Cleanup then has nothing left to do, but With still returns the
// watchdog's failure, not nil.
func TestWatchdogCleanupFails(t *testing.T) {
	defer goleak.VerifyNone(t)
	tmp := setTmp(t)
	defer mgtemp.SetGrace(50 * time.Millisecond)()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stuck string
	var immErr error
	err := mgtemp.With(ctx, func(ctx context.Context, s *tempfile.Scope) error {
		stuck = filepath.Join(s.Path(), "stuck")
		if err := os.WriteFile(stuck, nil, 0o600); err != nil {
			return err
		}
		if immErr = immutable.Set(stuck, true); immErr != nil {
			return nil
		}
		cancel()
		select { // the target goes on as if nothing happened
		case <-s.Done():
		case <-time.After(10 * time.Second):
			return errors.New("the watchdog never ran")
		}
		return nil
	})
	if immErr != nil {
		t.Skipf("cannot set the immutable attribute here (%v): needs root on ext4", immErr)
	}
	defer immutable.Set(stuck, false)
	var me *multierror.Error
	if !errors.As(err, &me) {
		t.Fatalf("With = %v (%T), want the watchdog's cleanup *multierror.Error", err, err)
	}
	if mgtemp.HandlerInstalled() {
		t.Fatal("a handler outlived With")
	}
	immutable.Set(stuck, false)
	if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 1 {
		t.Fatalf("Sweep = %q, %v; want the scope the watchdog could not remove", removed, err)
	}
}
