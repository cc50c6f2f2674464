package mgtemp

import (
	"sync"

	"github.com/magekit/temp/tempfile"
)

// registry only counts the live scopes on Windows: there is no SIGTERM or
// SIGHUP to catch, and Ctrl-C is mage's, covered by the watchdog.
type registry struct {
	mu sync.Mutex
	n  int
}

var handlers = &registry{}

func (r *registry) add(*tempfile.Scope) {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
}

func (r *registry) remove(*tempfile.Scope) {
	r.mu.Lock()
	r.n--
	r.mu.Unlock()
}
