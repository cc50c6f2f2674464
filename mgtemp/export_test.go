package mgtemp

import "time"

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
