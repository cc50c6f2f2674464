//go:build unix

package tempfile

// labelSafe returns s: every byte but '/' and NUL is allowed in a name,
// and those are refused before this.
func labelSafe(s string) string { return s }

// forbiddenInName reports a byte that a prefix or suffix may not hold
// beyond '/' and NUL: none on Unix.
func forbiddenInName(byte) bool { return false }

// forbiddenInNames says what a bad prefix or suffix holds.
const forbiddenInNames = "a path separator or NUL"
