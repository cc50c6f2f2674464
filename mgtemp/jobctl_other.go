//go:build unix && !linux

package mgtemp

import "syscall"

// nextStop reports no stops here (waitid's siginfo is laid out
// differently on each of these systems): a command stopped at a terminal
// (Ctrl-Z) stays stopped until continued by hand (kill -CONT).
func nextStop(int) syscall.Signal { return 0 }

// suspend is never called here: nextStop reports no stops.
func suspend(int, syscall.Signal) {}
