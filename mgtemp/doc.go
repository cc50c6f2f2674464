// Package mgtemp gives mage build targets temporary files and names that
// are removed when the target finishes, however it finishes, and gives
// the shell `mage tmp:name`, `tmp:file`, `tmp:dir`, `tmp:list` and
// `tmp:clean`.
//
// In a magefile:
//
//	import (
//		//mage:import
//		"github.com/magekit/temp/mgtemp"
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
// target's name (build, docker:push). It is removed:
//
//   - when the target returns, fails or panics: at once;
//   - on Ctrl-C: at once if the target honours ctx, else by a watchdog
//     after [Grace], before mage's own 5 s limit makes it exit;
//   - on SIGTERM or SIGHUP, which mage does not handle: by a handler that
//     exists only while a scope lives, which then restores the previous
//     signal behaviour and re-raises the signal, so the process ends as
//     the signal would have ended it (a program that handles the signal
//     itself keeps its handler, and sees the signal twice);
//   - after mage's -t timeout, a second Ctrl-C, kill -9 or a power loss:
//     by the sweep that every later With or New runs first, or by
//     `mage tmp:clean`.
//
// Set MGTEMP_KEEP=1 to keep every scope (its path is printed to stderr);
// `mage -v` logs each scope's creation and removal.
//
// Mage turns every exported function of a mage-imported package that
// looks like a target into a target, so this package exports no other
// function of that shape: `mage -l` shows the tmp: targets only.
package mgtemp
