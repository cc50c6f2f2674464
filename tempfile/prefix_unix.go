//go:build !windows

package tempfile

import "strconv"

func platformPrefix(pid int) string { return "@" + strconv.Itoa(pid) + "." }
