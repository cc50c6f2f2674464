package mgtemp

import (
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sigchld is siginfo_t as waitid fills it for a child (x/sys leaves the
// union opaque).
type sigchld struct {
	Signo, Errno, Code, _ int32
	Pid                   int32
	Uid                   uint32
	Status                int32
	_                     [100]byte
}

const cldStopped = 5 // CLD_STOPPED

// nextStop waits, without reaping it, until the child pid stops (it
// returns the signal that stopped it) or exits (0).
func nextStop(pid int) syscall.Signal {
	for {
		var si sigchld
		err := unix.Waitid(unix.P_PID, pid, (*unix.Siginfo)(unsafe.Pointer(&si)), unix.WEXITED|unix.WSTOPPED|unix.WNOWAIT, nil)
		switch {
		case err == unix.EINTR:
			continue
		case err == nil && si.Code == cldStopped:
			return syscall.Signal(si.Status)
		}
		return 0
	}
}

// suspend stops this run's own process group, as the command's group was
// stopped by sig, so that the user's shell sees the job stopped and gets
// its terminal back; once continued (fg, bg), it continues the command,
// in the terminal's foreground if the run is there. In an orphaned group
// (no shell that could continue it; the kernel discards a terminal stop
// there) the command is continued at once.
func suspend(pgid int, sig syscall.Signal) {
	if pgrp, err := unix.IoctlGetInt(0, unix.TIOCGPGRP); err == nil && pgrp == pgid {
		takeForeground()
	}
	if !orphaned() {
		if sig == syscall.SIGSTOP {
			sig = syscall.SIGTSTP // as a shell's job is stopped
		}
		if signal.Ignored(sig) {
			sig = syscall.SIGSTOP // or it would not stop us, and nothing would continue us
		}
		// The stop takes effect asynchronously: wait until it has been
		// undone, or the command would be given the terminal before
		// the shell took it back.
		cont := make(chan os.Signal, 1)
		signal.Notify(cont, syscall.SIGCONT)
		unix.Kill(0, sig)
		<-cont
		signal.Stop(cont)
	}
	if foreground() {
		signal.Ignore(syscall.SIGTTOU)
		unix.IoctlSetPointerInt(0, unix.TIOCSPGRP, pgid)
		signal.Reset(syscall.SIGTTOU)
	}
	unix.Kill(-pgid, syscall.SIGCONT)
}

// orphaned reports whether our process group is orphaned: no member has
// a parent in another group of the same session (a shell with job
// control). It follows parents through /proc while they are in our group
// (`go tool mage` runs the compiled magefile in its own group); without
// /proc it says yes, the safe answer (nothing is stopped).
func orphaned() bool {
	pgrp := unix.Getpgrp()
	sid, err := unix.Getsid(0)
	if err != nil {
		return true
	}
	for pid := os.Getpid(); ; {
		ppid, _, _, ok := procStat(pid)
		if !ok || ppid <= 0 {
			return true
		}
		_, pp, ps, ok := procStat(ppid)
		if !ok {
			return true
		}
		if pp != pgrp {
			return ps != sid
		}
		pid = ppid
	}
}

// procStat reads a process's parent, group and session from
// /proc/pid/stat.
func procStat(pid int) (ppid, pgrp, sid int, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, 0, false
	}
	// pid (comm) state ppid pgrp session ...: comm may hold anything.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 4 {
		return 0, 0, 0, false
	}
	ppid, err1 := strconv.Atoi(f[1])
	pgrp, err2 := strconv.Atoi(f[2])
	sid, err3 := strconv.Atoi(f[3])
	return ppid, pgrp, sid, err1 == nil && err2 == nil && err3 == nil
}
