package mgtemp

import "os"

// terminating is empty on Windows: there is no SIGTERM or SIGHUP to
// catch. Ctrl-C and Ctrl-Break (os.Interrupt) arm the watchdog under
// mage, as on Unix.
var terminating []os.Signal

// die is never called on Windows: no terminating signal is caught.
func die(os.Signal) { os.Exit(1) }

// keepWritingOnBrokenPipes: Windows has no SIGPIPE.
func keepWritingOnBrokenPipes() {}
