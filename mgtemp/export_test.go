package mgtemp

import (
	"sync"
	"time"
)

// Hooks for the external tests.

var TargetOf = targetOf

// SetGrace shortens the watchdog's grace for a test and returns the undo.
func SetGrace(d time.Duration) (restore func()) {
	old := grace
	grace = d
	return func() { grace = old }
}

var IsMage = isMage

var (
	Size = size
	Age  = age
)

// Interrupt does what the first Ctrl-C under mage does: it arms the
// watchdog of every scope; the returned undo disarms it for later scopes.
func Interrupt() (undo func()) {
	registry.interrupt()
	return func() {
		registry.mu.Lock()
		defer registry.mu.Unlock()
		registry.interrupted = make(chan struct{})
		registry.interruptOnce = sync.Once{}
	}
}

// ResetLeft undoes LeaveSignals, for the next test.
func ResetLeft() {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	clear(registry.left)
}

var MainInMage = mainInMage
