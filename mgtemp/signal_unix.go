//go:build unix

package mgtemp

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/magekit/temp/tempfile"
)

// caught are the signals that end a mage run without unwinding it: mage
// handles SIGINT itself, but neither of these.
var caught = []os.Signal{syscall.SIGTERM, syscall.SIGHUP}

// registry holds the live scopes and, while there is one, a handler for
// the caught signals. With no scope alive there is no handler at all, so
// the program's own signal behaviour is untouched.
type registry struct {
	mu     sync.Mutex
	scopes map[*tempfile.Scope]struct{}
	ch     chan os.Signal // nil when no handler is installed
	stop   chan struct{}  // closed to end the handler
	done   chan struct{}  // closed when the handler has ended
}

var handlers = &registry{scopes: map[*tempfile.Scope]struct{}{}}

func (r *registry) add(s *tempfile.Scope) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scopes[s] = struct{}{}
	if r.ch != nil {
		return
	}
	var sigs []os.Signal
	for _, sig := range caught {
		if !signal.Ignored(sig) { // nohup and the like asked for it to be ignored
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) == 0 {
		return
	}
	r.ch, r.stop, r.done = make(chan os.Signal, 1), make(chan struct{}), make(chan struct{})
	signal.Notify(r.ch, sigs...)
	go r.loop(r.ch, r.stop, r.done)
}

// remove forgets s; with the last scope gone, it removes the handler and
// waits for its goroutine to end.
func (r *registry) remove(s *tempfile.Scope) {
	r.mu.Lock()
	delete(r.scopes, s)
	if len(r.scopes) > 0 || r.ch == nil {
		r.mu.Unlock()
		return
	}
	signal.Stop(r.ch)
	close(r.stop)
	done := r.done
	r.ch = nil
	r.mu.Unlock()
	<-done
}

func (r *registry) loop(ch chan os.Signal, stop, done chan struct{}) {
	defer close(done)
	select {
	case <-stop:
	case sig := <-ch:
		r.mu.Lock()
		live := make([]*tempfile.Scope, 0, len(r.scopes))
		for s := range r.scopes {
			live = append(live, s)
		}
		r.mu.Unlock()
		logf("%v: removing %d scope(s)", sig, len(live))
		for _, s := range live {
			cleanup(s)
		}
		// Restore what was there before (Stop re-installs the default
		// action if no one else asked for sig), then let sig do it.
		r.mu.Lock()
		if r.ch == ch {
			signal.Stop(ch)
			r.ch = nil
		}
		r.mu.Unlock()
		syscall.Kill(os.Getpid(), sig.(syscall.Signal))
	}
}
