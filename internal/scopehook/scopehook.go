// Package scopehook lets mgtemp act at the end of a tempfile scope's
// Cleanup without a public API in tempfile for it.
package scopehook

// AfterCleanup, set by package tempfile, makes f run at the end of the
// Cleanup call that releases the scope s (a *tempfile.Scope), in that
// call's goroutine, once the scope is released and its lock let go, with
// the error that call returns. Set it before s is shared.
//
// mgtemp needs it for the scopes of New, whose Cleanup the program calls
// itself: once a SIGTERM is being handled, that call must not return
// (so that no later target starts) while the handler ends the process.
var AfterCleanup func(s any, f func(err error))
