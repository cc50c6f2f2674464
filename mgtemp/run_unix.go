//go:build unix

package mgtemp

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

func shellCommand(cmdline string) *exec.Cmd { return exec.Command("/bin/sh", "-c", cmdline) }

// runForwarding starts cmd in a process group of its own and forwards
// SIGINT, SIGTERM and SIGHUP to that group until it exits. Its own group,
// because a signal sent to ours (Ctrl-C without a terminal, a CI runner
// cancelling the job) would otherwise reach the command twice: directly
// and forwarded. When stdin is the terminal and we are in its foreground,
// the group takes the foreground, as a shell's job does: Ctrl-C then goes
// to the command alone, and a command that reads the terminal is not
// stopped by SIGTTIN.
//
// If ctx ends first (mage's -t timeout, or Ctrl-C that reached mage only)
// the command gets SIGTERM, or the signal that cancelled it. Once a
// signal was sent on either way, the whole group has Grace to end, the
// command and what it started in the background alike, and is then
// killed: mage exits 5 s after Ctrl-C, the scope must be removed before,
// and nothing of the group may go on working in it.
func runForwarding(ctx context.Context, cmd *exec.Cmd) (int, error) {
	sigs := make(chan os.Signal, 4)
	for _, sig := range []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		// A signal ignored from the start (nohup, a background job of a
		// script) stays ignored, for us and for the command, which
		// inherits the ignoring only if we never catch the signal.
		if !signal.Ignored(sig) {
			signal.Notify(sigs, sig)
		}
	}
	defer signal.Stop(sigs)

	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	fg := foreground()
	if fg {
		cmd.SysProcAttr.Foreground = true
		cmd.SysProcAttr.Ctty = 0
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	if fg {
		defer takeForeground()
	}
	pgid := cmd.Process.Pid
	done := make(chan error, 1)
	stops := make(chan syscall.Signal)
	resumed := make(chan struct{})
	go func() {
		if isTerminal(0) {
			// Job control: a command stopped at the terminal (Ctrl-Z,
			// or SIGTTIN in the background) stops this run too, as a
			// shell's job stops, and is continued with it. Otherwise
			// the user's shell would wait for a run that never ends.
			for sig := nextStop(pgid); sig != 0; sig = nextStop(pgid) {
				stops <- sig
				<-resumed
			}
		}
		done <- cmd.Wait()
	}()

	var (
		forwarded bool
		kill      <-chan time.Time
		ctxDone   = ctx.Done()
	)
	send := func(sig syscall.Signal) {
		forwarded = true
		unix.Kill(-pgid, sig) // ESRCH: it is gone already
		if kill == nil {
			// Told to stop, the group has Grace to do so, as after a
			// cancelled ctx: a command that ignores the signal must not
			// keep the run, and its scope, alive for ever.
			kill = time.After(grace)
		}
	}
	for {
		select {
		case err := <-done:
			switch {
			case kill != nil:
				// The rest of the group (what the command started in
				// the background) was told to stop too: it ends before
				// the scope is removed, by the same deadline.
				awaitGroup(pgid, kill)
			case forwarded:
				// The deadline has passed already: whatever is left
				// of the group (forked since the SIGKILL) goes too.
				unix.Kill(-pgid, syscall.SIGKILL)
			}
			return 0, err
		case sig := <-sigs:
			send(sig.(syscall.Signal))
		case sig := <-stops:
			suspend(pgid, sig)
			resumed <- struct{}{}
		case <-ctxDone:
			ctxDone = nil
			select { // the signal that made mage cancel ctx is ours too
			case sig := <-sigs:
				send(sig.(syscall.Signal))
			default:
			}
			if !forwarded {
				send(syscall.SIGTERM)
			}
		case <-kill:
			kill = nil // it fires once; nothing waits for it any more
			unix.Kill(-pgid, syscall.SIGKILL)
		}
	}
}

// awaitGroup waits until the process group pgid has no process left,
// and kills what is left of it when kill fires. Those processes are not
// our children: their end is seen by polling (a zombie not yet reaped by
// its new parent still counts, until the deadline).
func awaitGroup(pgid int, kill <-chan time.Time) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for unix.Kill(-pgid, 0) == nil {
		select {
		case <-kill:
			kill = nil // it fires once; nothing waits for it any more
			unix.Kill(-pgid, syscall.SIGKILL)
			return
		case <-tick.C:
		}
	}
}

// exitCode is the status a shell gives: the exit code, or 128+N for a
// process killed by signal N.
func exitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// foreground reports whether stdin is a terminal whose foreground
// process group is ours.
func foreground() bool {
	pgrp, err := unix.IoctlGetInt(0, unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
}

// isTerminal reports whether fd is our controlling terminal.
func isTerminal(fd int) bool {
	_, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	return err == nil
}

// takeForeground gives the terminal's foreground back to our group once
// the command has exited. A background group that does this gets SIGTTOU
// unless it ignores it, as shells do: ignored for the call only.
func takeForeground() {
	signal.Ignore(syscall.SIGTTOU)
	defer signal.Reset(syscall.SIGTTOU)
	unix.IoctlSetPointerInt(0, unix.TIOCSPGRP, unix.Getpgrp())
}
