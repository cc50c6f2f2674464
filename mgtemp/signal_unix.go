//go:build unix

package mgtemp

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// terminating are the signals that end a mage run without unwinding it:
// mage handles SIGINT itself, but neither of these.
var terminating = []os.Signal{syscall.SIGTERM, syscall.SIGHUP}

// die ends the process by sig: it gives sig its default action back —
// for every handler of the program too, so the process cannot carry on
// (one that handles the signal itself says so with LeaveSignals, and
// never gets here) — and sends it again.
func die(sig os.Signal) {
	signal.Reset(sig)
	syscall.Kill(os.Getpid(), sig.(syscall.Signal))
	// The kernel delivers it at once; should it not, exit as a shell
	// reports a death by signal.
	time.Sleep(5 * time.Second)
	os.Exit(128 + int(sig.(syscall.Signal)))
}

// keepWritingOnBrokenPipes makes a write to a closed stdout or stderr
// fail with EPIPE instead of ending the process by SIGPIPE, Go's default.
// The process is ending anyway (the signal that called this ends it), but
// the reader of its output may have gone first — `mage -v build 2>&1 |
// tee log`, and the group's signal ended tee — and mgtemp's -v lines
// must not end it before the scopes are removed.
func keepWritingOnBrokenPipes() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
}
