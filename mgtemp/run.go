package mgtemp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/magefile/mage/mg"

	"github.com/magekit/temp/tempfile"
)

// Run runs CMDLINE through the shell (`sh -c` on Unix, `cmd /C` on
// Windows) with a fresh scope as its TMPDIR, TEMP and TMP, and removes
// the scope when the command ends, with what the command and its children
// left in it (a pipeline step: CMDLINE 'make test'). Stdin, stdout and stderr are
// passed through; the target ends with the command's exit status (a
// command killed by signal N gives 128+N, as in a shell). Ctrl-C and
// SIGTERM reach the command, which runs in its own process group (in the
// terminal's foreground when there is one) so that it gets each once;
// once a signal was passed on, what is left of that group after Grace
// (a command that ignores it, a child it started in the background) is
// killed before the scope goes. At a terminal (Linux), Ctrl-Z stops the
// run with its command, as a shell's job, and fg or bg continues both.
// A run killed with SIGKILL leaves its scope to the next sweep.
func (Tmp) Run(ctx context.Context, cmdline string) error {
	target := tmpTarget("tmp:run")
	logDir()
	if removed, err := tempfile.Sweep(""); err != nil {
		logf("sweep: %v", err) // a stale scope we cannot remove must not stop the command
	} else {
		for _, p := range removed {
			logf("swept stale scope %s", p)
		}
	}
	s, err := tempfile.NewScope(target)
	if err != nil {
		return targetError(target, err)
	}
	if keepAll() {
		s.Keep()
		fmt.Fprintf(os.Stderr, "mgtemp: keeping scope %s (MGTEMP_KEEP)\n", s.Path())
	} else {
		logf("created scope %s", s.Path())
	}
	code, runErr := runIn(ctx, s, cmdline)
	if cerr := s.Cleanup(); cerr != nil {
		fmt.Fprintf(os.Stderr, "mgtemp: cleanup of %s: %v\n", s.Path(), oneLine(message(cerr)))
		if runErr == nil && code == 0 {
			return targetError(target, cerr)
		}
	} else if !keepAll() {
		logf("removed scope %s", s.Path())
	}
	switch {
	case runErr != nil:
		return targetError(target, runErr)
	case code != 0:
		return mg.Fatalf(code, "%s: command exited with status %d", target, code)
	}
	return nil
}

// runIn runs cmdline with s as its temporary directory and returns its
// exit status; err is set only when it could not be run or waited for.
func runIn(ctx context.Context, s *tempfile.Scope, cmdline string) (code int, err error) {
	cmd := shellCommand(cmdline)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = scopeEnv(os.Environ(), s.Env())
	code, err = runForwarding(ctx, cmd)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return exitCode(ee.ProcessState), nil
	}
	return code, err
}

// scopeEnv is env with the scope's variables (TMPDIR, TEMP, TMP) set,
// any other spelling of them dropped: on Windows names are
// case-insensitive, and the first of two spellings would win.
func scopeEnv(env []string, vars map[string]string) []string {
	out := make([]string, 0, len(env)+len(vars))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := vars[strings.ToUpper(k)]; ok {
			continue
		}
		out = append(out, kv)
	}
	for _, k := range []string{"TMPDIR", "TEMP", "TMP"} {
		if v, ok := vars[k]; ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}
