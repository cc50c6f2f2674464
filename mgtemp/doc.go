// Package mgtemp gives mage build targets temporary files and names that
// are removed when the target finishes, however it finishes, and gives
// the shell `mage tmp:name`, `tmp:file`, `tmp:dir`, `tmp:run`, `tmp:list`
// and `tmp:clean`.
//
// In a magefile:
//
//	//go:build mage
//
//	package main
//
//	import (
//		"context"
//
//		//mage:import
//		"github.com/magekit/temp/mgtemp"
//		"github.com/magekit/temp/tempfile"
//	)
//
//	func Build(ctx context.Context) error {
//		return mgtemp.With(ctx, func(ctx context.Context, tmp *tempfile.Scope) error {
//			out, err := tmp.Name(".tar.gz")
//			...
//		})
//	}
//
// Each [With] or [New] makes a [tempfile.Scope] labelled with the calling
// target's name exactly as `mage -l` prints it: build, docker:push,
// test:e2eCerts, and t:tmp:run for a target of a package imported with
// `//mage:import t` (the alias is known only from the command line: a
// target that runs only as another's dependency is labelled without it).
// It is removed:
//
//   - when the target returns, fails or panics: at once (With; a scope of
//     New lives until its Cleanup);
//   - on Ctrl-C: at once if the target honours ctx; else by a watchdog
//     [Grace] after the interrupt, before mage's own 5 s limit makes it
//     exit. mgtemp watches for the interrupt itself (under mage only,
//     which handles SIGINT anyway; from the first scope to the end of
//     the run), so this holds for the dependencies of mg.Deps and
//     mg.SerialDeps too, whose context Ctrl-C never cancels, also for a
//     scope made after the Ctrl-C.
//     A context cancelled for any other reason — a timeout, an errgroup —
//     arms nothing: the target may go on using its scope;
//   - on SIGTERM or SIGHUP, which mage does not handle: at once, by a
//     handler that exists only while a scope lives (and leaves a signal
//     that was ignored, as under nohup, alone). The process then always
//     ends by that signal, also when the signal lands while a Cleanup
//     runs: With does not return, no later target starts. A program that
//     handles SIGTERM or SIGHUP itself calls [LeaveSignals], and then
//     sees the signal once and keeps control of its shutdown;
//   - after mage's -t timeout, a second Ctrl-C, kill -9 or a power loss:
//     by the sweep that the first With or New of a later run makes (one
//     per process), or by `mage tmp:clean`.
//
// The signal must reach the magefile's compiled binary: send it to the
// process group, as a terminal's Ctrl-C and most CI runners do, or to a
// binary made with `mage -compile`. mage's driver (an installed mage, or
// `go tool mage`) runs that binary as a child and passes neither SIGTERM
// nor SIGINT on: a SIGTERM to the driver alone leaves the binary running
// with its scopes.
//
// [FromContext] finds With's scope in ctx; mage hands a target's ctx to
// its dependencies only through mg.CtxDeps and mg.SerialCtxDeps.
//
// [WithIn] is With with the scope in a directory of the build's choosing
// (dir/mgtemp-<uid>/, on the output's file system, so renames into the
// output never cross devices); it sweeps that directory itself. Child
// processes get the scope as their temp directory with
// sh.RunWith(tmp.Env(), "go", "build", …): what they leave there, even
// when killed, goes with the scope, after a kill -9 by the next sweep
// ([tempfile.Scope.Env]).
//
// Names made in a scope ([tempfile.Scope.Name], File, Mkdir) start with
// the fixed prefix "tmp", while [tempfile.Mktemp]'s start with
// [tempfile.Prefix] ("@<pid>." by default). That is on purpose: Prefix
// tells apart the files of many processes in a shared directory, and a
// scope's directory already carries its target and pid, so inside it a
// fixed prefix is enough and does not change with SetPrefix.
//
// Environment: MGTEMP_KEEP=1 keeps every scope and prints its path (to
// look at a failed build); it is read like strconv.ParseBool plus on/off,
// yes/no and y/n, in any case, so "false", "off" and "0" mean no, and any
// other value means no and is reported once on stderr. A kept scope is
// never swept; `mage tmp:clean -kept` removes it. `mage -v` logs each
// scope's creation and removal, and which temporary directory is used and
// why each candidate before it ($TMPDIR missing, not a directory,
// read-only) was skipped.
//
// Mage turns every exported function of a mage-imported package that
// looks like a target into a target, so this package exports no other
// function of that shape: `mage -l` shows the tmp: targets only.
package mgtemp
