package mgtemp

import (
	"context"
	"time"

	"github.com/magekit/temp/tempfile"
)

// Grace is how long after its context is cancelled (mage cancels it on
// Ctrl-C) a scope's target has to finish before the watchdog removes the
// scope itself. Mage exits 5 s after Ctrl-C whether the target finished
// or not; Grace leaves the removal time to run before that.
const Grace = 3 * time.Second

// grace is Grace; tests shorten it.
var grace = Grace

// guard watches s until its Cleanup: the signal handler covers it, and a
// watchdog removes it if ctx is cancelled and the target does not finish
// within Grace. The returned unguard stands the guard down and waits for
// its goroutine to end, so With returns with no handler or goroutine left
// behind, even if its Cleanup failed (a later Sweep then finishes the job).
func guard(ctx context.Context, s *tempfile.Scope) (unguard func()) {
	handlers.add(s)
	stop, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		defer handlers.remove(s)
		select {
		case <-s.Done():
			return
		case <-stop:
			return
		case <-ctx.Done():
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-s.Done():
		case <-stop:
		case <-t.C:
			logf("target still running %v after cancellation: removing %s", grace, s.Path())
			cleanup(s)
		}
	}()
	return func() {
		close(stop)
		<-exited
	}
}
