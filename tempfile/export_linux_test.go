//go:build linux && !tempfile_portable

package tempfile

// Hooks for the external tests: each forces a fallback path that this
// machine's kernel would otherwise never take.
var (
	NoTmpfile   = &noTmpfile
	NoRenameat2 = &noRenameat2
)
