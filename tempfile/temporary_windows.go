package tempfile

import (
	"os"

	"golang.org/x/sys/windows"
)

// openUnnamed creates a file that Windows deletes when its last handle is
// closed: a name cannot be removed while the file is open there.
func openUnnamed(r resolved) (*os.File, error) {
	return create("temporaryfile", r, func(gen genName) (*os.File, error) {
		// perm is not applied: a read-only file could not be deleted on close.
		return openShared(gen.s, r.flag, 0o600, windows.CREATE_NEW,
			windows.FILE_ATTRIBUTE_TEMPORARY|windows.FILE_FLAG_DELETE_ON_CLOSE)
	})
}
