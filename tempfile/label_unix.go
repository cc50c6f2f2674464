//go:build unix

package tempfile

// forbiddenInName reports a byte that a prefix or suffix may not hold
// beyond '/' and NUL: none on Unix.
func forbiddenInName(byte) bool { return false }

// forbiddenInNames says what a bad prefix or suffix holds.
const forbiddenInNames = "a path separator or NUL"
