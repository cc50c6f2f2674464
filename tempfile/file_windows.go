package tempfile

import "os"

// reopenNoFollow opens name; the identity check in Reopen catches a link.
func reopenNoFollow(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDWR, 0)
}
