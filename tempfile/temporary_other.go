//go:build unix && (!linux || tempfile_portable)

package tempfile

import "os"

func openUnnamed(r resolved) (*os.File, error) { return createUnlinked(r) }
