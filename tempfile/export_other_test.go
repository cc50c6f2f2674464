//go:build !linux || tempfile_portable

package tempfile

import "sync/atomic"

// Elsewhere there is no O_TMPFILE or renameat2 to turn off: the hooks
// exist so the tests compile, and change nothing.
var (
	NoTmpfile   = new(atomic.Bool)
	NoRenameat2 = new(atomic.Bool)
)
