//go:build !linux

package tempfile_test

import "testing"

// mktempUnsearchable skips: as root the case runs a child as nobody, which
// these tests do on Linux only (unprivileged_test.go).
func mktempUnsearchable(t *testing.T) {
	t.Skip("the unsearchable-directory case runs a child as nobody: Linux only")
}
