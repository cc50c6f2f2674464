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

	// A scope of New is cleaned up by the program's own call of Cleanup,
	// which mgtemp does not make: afterCleanup, run at the end of the
	// call that releases it (see scopehook), closes released.
	hooked       bool
	released     chan struct{}
	releasedOnce sync.Once
}

func (g *guarded) cleanup() error {
	g.once.Do(func() {
		if g.hooked {
			select {
			case <-g.s.Done(): // the program's own Cleanup came first
				return
			default:
			}
			g.err = g.s.Cleanup()
			if !registry.isDying() { // else afterCleanup reported it
				report(g.s, g.err)
			}
			return
		}
		g.err = cleanup(g.s)
	})
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
	report(s, err)
	return err
}

// report logs the outcome of s's Cleanup.
func report(s *tempfile.Scope, err error) {
	switch {
	case err != nil:
		fmt.Fprintf(os.Stderr, "mgtemp: cleanup of %s: %v\n", s.Path(), err)
	case !keepAll():
		logf("removed scope %s", s.Path())
	}
}

// afterCleanup runs at the end of the Cleanup call that released the
// scope of New (see scopehook): the program's own call, usually, or the
// signal handler's. Once a terminating signal is being handled, that
// call never returns: a target whose deferred Cleanup ends while the
// handler works must not return, and let mage start the next target or
// exit 0, before the handler ends the process. (Otherwise the program
// reports its own Cleanup's error, as before.)
func (g *guarded) afterCleanup(err error) {
	dying := registry.isDying()
	if dying {
		report(g.s, err)
	}
	g.releasedOnce.Do(func() { close(g.released) })
	if dying {
		select {}
	}
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
