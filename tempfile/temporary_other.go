//go:build unix && !linux

package tempfile

import "os"

func openUnnamed(r resolved) (*os.File, error) { return createUnlinked(r) }
