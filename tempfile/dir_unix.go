//go:build !windows

package tempfile

func platformDirs() []string { return []string{"/tmp", "/var/tmp", "/usr/tmp"} }
