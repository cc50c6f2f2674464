//go:build (unix && !linux && !darwin) || (linux && tempfile_portable)

package tempfile

func renameNoReplace(oldpath, newpath string) error { return linkNoReplace(oldpath, newpath) }
