package mgtemp

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/magekit/temp/tempfile"
)

// Grace is how long after an interrupt (Ctrl-C, which mage answers by
// cancelling the targets' context) a scope's target has to finish before
// the watchdog removes the scope itself. Mage exits 5 s after Ctrl-C
// whether the target finished or not; Grace leaves the removal time to
// run before that.
const Grace = 3 * time.Second

// grace is Grace; tests shorten it.
var grace = Grace

// guarded is a scope mgtemp looks after. Whoever removes it first — With
// as it returns, the watchdog, the signal handler — does so through
// cleanup, which runs once: the others wait for it and get its error, and
// -v logs the removal once.
type guarded struct {
	s    *tempfile.Scope
	once sync.Once
	err  error
}

func (g *guarded) cleanup() error {
	g.once.Do(func() { g.err = cleanup(g.s) })
	return g.err
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

// guard watches g until its scope's Cleanup: the signal handler covers
// it, and once an interrupt has come (see registry.interrupt) a watchdog
// removes it if its target has not finished within Grace. Only an
// interrupt arms the watchdog, never a cancelled context: a target may
// run With under a timeout or an errgroup context of its own and go on
// using the scope after that context ends; and mage cancels the targets'
// context only on Ctrl-C, which mgtemp sees itself — also for the
// dependencies of mg.Deps, whose context Ctrl-C never cancels.
//
// The guard stands down when the scope's Cleanup has run (Done is closed
// even when Cleanup fails). The returned wait, called after that
// Cleanup, waits for the guard's goroutine to end, so With returns with
// no handler or goroutine left behind.
func guard(g *guarded) (wait func()) {
	registry.add(g)
	armed := registry.armed()
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		defer registry.remove(g)
		select {
		case <-g.s.Done():
			return
		case <-armed:
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-g.s.Done():
		case <-t.C:
			logf("target still running %v after the interrupt: removing %s", grace, g.s.Path())
			g.cleanup()
		}
	}()
	return func() { <-exited }
}
