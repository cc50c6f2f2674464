package tempfile

import "os"

// mountFilter: on Windows a mounted folder or junction is a reparse
// point, which the size walk, like os.Root, never enters.
func mountFilter(*os.Root) func(name string) bool {
	return func(string) bool { return false }
}
