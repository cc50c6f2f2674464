//go:build unix && !linux && !darwin

package tempfile

func renameNoReplace(oldpath, newpath string) error { return linkNoReplace(oldpath, newpath) }
