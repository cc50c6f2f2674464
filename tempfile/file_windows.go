package tempfile

import (
	"os"

	"golang.org/x/sys/windows"
)

// reopenNoFollow opens name read-write without following a reparse point
// at it, shared as the file itself is (so the second handle does not stop
// Persist or Close); the identity check in Reopen catches a stranger.
func reopenNoFollow(name string) (*os.File, error) {
	return openShared(name, os.O_RDWR, 0o600, windows.OPEN_EXISTING, 0)
}
