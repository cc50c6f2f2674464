package mgtemp

import "github.com/magekit/temp/tempfile"

// registry is empty on Windows: there is no SIGTERM or SIGHUP to catch,
// and Ctrl-C is mage's, covered by the watchdog.
type registry struct{}

var handlers registry

func (registry) add(*tempfile.Scope)    {}
func (registry) remove(*tempfile.Scope) {}
