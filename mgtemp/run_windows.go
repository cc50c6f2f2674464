package mgtemp

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// shellCommand runs cmdline through cmd /C. The line is passed as it is
// (SysProcAttr.CmdLine), since cmd parses its own quoting and Go's
// argument escaping would change it.
func shellCommand(cmdline string) *exec.Cmd {
	comspec := os.Getenv("ComSpec")
	if comspec == "" {
		comspec = "cmd.exe"
	}
	cmd := exec.Command(comspec)
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: `"` + comspec + `" /C ` + cmdline}
	return cmd
}

// runForwarding runs cmd and waits for it. On Windows, Ctrl-C and
// Ctrl-Break reach every process on the console, the command included,
// so there is nothing to forward. If ctx ends (mage's -t timeout, or
// Ctrl-C) and the command has not exited within Grace, it is killed, so
// the scope is removed before mage exits.
func runForwarding(ctx context.Context, cmd *exec.Cmd) (int, error) {
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var kill <-chan time.Time
	ctxDone := ctx.Done()
	for {
		select {
		case err := <-done:
			return 0, err
		case <-ctxDone:
			ctxDone = nil
			kill = time.After(grace)
		case <-kill:
			cmd.Process.Kill()
		}
	}
}

func exitCode(ps *os.ProcessState) int { return ps.ExitCode() }
