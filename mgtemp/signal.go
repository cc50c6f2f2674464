package mgtemp

import (
	"os"
	"os/signal"
	"sync"
)

// signalRegistry holds the live scopes and, while there is one, a handler for
// the signals mgtemp acts on:
//
//   - the terminating ones (SIGTERM, SIGHUP on Unix; see signal_unix.go),
//     which mage does not handle: every live scope is removed at once,
//     and the process then ends by that signal, whatever it was doing;
//   - os.Interrupt (Ctrl-C; Ctrl-Break on Windows), only under mage:
//     it arms the watchdog of every live scope and every scope to come
//     (see guard). Mage gets the signal too, and does what it always
//     does. It is watched from the first scope on for the rest of the
//     run, not only while a scope lives: a Ctrl-C between one
//     dependency's scope and the next one's must arm the next one's
//     watchdog, as mage exits 5 s later whatever runs. Mage itself
//     watches SIGINT for the whole run, so this changes nothing about
//     what Ctrl-C does.
//
// With no scope alive there is no handler for the terminating signals,
// and outside mage none at all, so the program's own signal behaviour
// is untouched.
type signalRegistry struct {
	mu    sync.Mutex
	live  map[*guarded]struct{}
	left  map[os.Signal]bool // LeaveSignals: the program handles these itself
	ch    chan os.Signal     // nil when no handler is installed
	stop  chan struct{}      // closed to end the handler
	done  chan struct{}      // closed when the handler has ended
	dying bool               // a terminating signal was taken: the process is ending

	interruptOnce sync.Once
	interrupted   chan struct{} // closed by the first interrupt mgtemp sees
	listenOnce    sync.Once     // starts the watch for interrupts (see listenInterrupts)
}

// registry is the process's one signal registry: every guarded scope is
// in it, and every signal mgtemp takes goes through it.
var registry = &signalRegistry{
	live:        map[*guarded]struct{}{},
	left:        map[os.Signal]bool{},
	interrupted: make(chan struct{}),
}

// LeaveSignals tells mgtemp that the program handles these terminating
// signals itself (SIGTERM, SIGHUP; none given means both; any other
// signal is not mgtemp's to leave, and is ignored), for the rest
// of the process's life: mgtemp no longer catches them, so the program's
// handler sees each signal once, as sent, and keeps control of what
// follows — a graceful shutdown that still uses its scopes, a second
// signal that forces it out. Its scopes are then removed as With returns
// (or by Cleanup), and one the program leaves behind by exiting is
// removed by a later sweep.
//
// Without LeaveSignals, a program that has its own handler for SIGTERM
// gets the signal, but mgtemp also removes every scope at once and then
// ends the process by that signal, handler or not.
//
// Call it before the signal can come, e.g. at the start of the target,
// or in init. On Windows mgtemp catches no terminating signal, and
// LeaveSignals does nothing. (It takes os.Signal arguments, so mage does
// not turn it into a target.)
func LeaveSignals(sigs ...os.Signal) {
	if len(sigs) == 0 {
		sigs = terminating
	}
	r := registry
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, sig := range sigs {
		r.left[sig] = true
	}
	if r.ch != nil {
		// os/signal cannot stop one signal of a channel: stop them all,
		// then ask again for the rest.
		signal.Stop(r.ch)
		if sigs := r.wanted(); len(sigs) > 0 {
			signal.Notify(r.ch, sigs...)
		}
	}
}

// wanted lists the signals the handler asks for; r.mu is held.
func (r *signalRegistry) wanted() []os.Signal {
	var sigs []os.Signal
	for _, sig := range terminating {
		// Not one the program handles itself, nor one nohup and the like
		// asked to ignore.
		if !r.left[sig] && !signal.Ignored(sig) {
			sigs = append(sigs, sig)
		}
	}
	return sigs
}

// listenInterrupts watches for os.Interrupt for the rest of the
// process's life, under mage only (see signalRegistry).
func (r *signalRegistry) listenInterrupts() {
	if !underMage() {
		return
	}
	r.listenOnce.Do(func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt)
		go func() {
			for range ch {
				r.interrupt()
			}
		}()
	})
}

// add registers g and, for the first live scope, installs the handler.
// Once the process is ending, it never returns: no new scope, no new work.
func (r *signalRegistry) add(g *guarded) {
	r.mu.Lock()
	if r.dying {
		r.mu.Unlock()
		select {}
	}
	defer r.mu.Unlock()
	r.live[g] = struct{}{}
	r.listenInterrupts()
	if r.ch != nil {
		return
	}
	sigs := r.wanted()
	if len(sigs) == 0 {
		return
	}
	r.ch, r.stop, r.done = make(chan os.Signal, 4), make(chan struct{}), make(chan struct{})
	signal.Notify(r.ch, sigs...)
	go r.loop(r.ch, r.stop, r.done)
}

// remove forgets g; with the last scope gone, it removes the handler and
// waits for its goroutine to end. Once the process is ending, the
// handler stays: it is about to end the process.
func (r *signalRegistry) remove(g *guarded) {
	r.mu.Lock()
	delete(r.live, g)
	if len(r.live) > 0 || r.ch == nil || r.dying {
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

// holdIfDying never returns once the process is ending: With calls it
// before it returns, so that nothing the target does after With — nor a
// later target — runs while the handler ends the process.
func (r *signalRegistry) holdIfDying() {
	if r.isDying() {
		select {}
	}
}

// isDying reports whether a terminating signal was taken.
func (r *signalRegistry) isDying() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dying
}

func (r *signalRegistry) loop(ch chan os.Signal, stop, done chan struct{}) {
	defer close(done)
	for {
		select {
		case <-stop:
			// A signal taken before signal.Stop may still wait in ch
			// (select picks at random): it is mgtemp's, so it must
			// still end the process.
			for {
				select {
				case sig := <-ch:
					r.terminate(sig) // does not return
				default:
					return
				}
			}
		case sig := <-ch:
			r.terminate(sig) // does not return
		}
	}
}

// interrupt arms the watchdog of every scope, live or to come.
func (r *signalRegistry) interrupt() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.interruptOnce.Do(func() {
		keepWritingOnBrokenPipes() // mage exits within 5 s anyway
		logf("interrupt: each scope is removed %v from now unless its target ends first", grace)
		close(r.interrupted)
	})
}

// armed returns the channel an interrupt closes.
func (r *signalRegistry) armed() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.interrupted
}

// terminate removes every live scope (each once, also one whose Cleanup
// was already under way: that Cleanup is waited for), then ends the
// process by sig.
func (r *signalRegistry) terminate(sig os.Signal) {
	keepWritingOnBrokenPipes()
	r.mu.Lock()
	r.dying = true
	live := make([]*guarded, 0, len(r.live))
	for g := range r.live {
		live = append(live, g)
	}
	r.mu.Unlock()
	logf("%v: removing %d scope(s)", sig, len(live))
	for _, g := range live {
		if g.hooked {
			// The call that releases it never returns now (see
			// afterCleanup): ours, or the program's under way.
			go g.cleanup()
			<-g.released
			continue
		}
		g.cleanup()
	}
	die(sig)
}
