//go:build unix && !darwin && (!linux || tempfile_portable)

// Unix without a rename that refuses to replace (the BSDs, and Linux built
// with the tempfile_portable tag): link(2) and unlink stand in for it.

package tempfile

func renameNoReplace(oldpath, newpath string) error { return linkNoReplace(oldpath, newpath) }
