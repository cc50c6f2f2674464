//go:build unix

package tempfile

// labelSafe returns s: every byte but '/' and NUL is allowed in a name,
// and those are refused before this.
func labelSafe(s string) string { return s }
