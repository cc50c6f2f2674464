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
// within Grace. The guard stands down when s's Cleanup has run (Done is
// closed even when Cleanup fails). The returned wait, called after that
// Cleanup, waits for the guard's goroutine to end, so With returns with no
// handler or goroutine left behind, and returns the error of the
// watchdog's removal, if it made one: With's own Cleanup then found
// nothing to do, and the failure would otherwise be lost.
func guard(ctx context.Context, s *tempfile.Scope) (wait func() error) {
	handlers.add(s)
	exited := make(chan struct{})
	var werr error
	go func() {
		defer close(exited)
		defer handlers.remove(s)
		select {
		case <-s.Done():
			return
		case <-ctx.Done():
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-s.Done():
		case <-t.C:
			logf("target still running %v after cancellation: removing %s", grace, s.Path())
			werr = cleanup(s)
		}
	}()
	return func() error {
		<-exited
		return werr
	}
}
