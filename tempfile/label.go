package tempfile

import "strings"

// A scope's label is often a mage target's name, "docker:push" or
// "test:e2eCerts", and may hold anything but a path separator or NUL. Its
// directory's name must not: a ':' or ';' in $TMPDIR breaks every
// PATH-like list it is put in (GOPATH, CLASSPATH, PATH itself), Windows
// refuses :*?"<>| and control characters in a name, and a space or a
// backslash breaks careless shell scripts. So the name on disk holds
// labelSafe(label), and the label itself, exactly as given, is written
// into the lock file, where Scopes reads it back.

// labelReplacement stands for each character labelSafe replaces.
const labelReplacement = '_'

// labelUnsafe are the printable characters labelSafe replaces.
const labelUnsafe = ` :;\*?"<>|`

// labelSafe returns label as a scope's directory name holds it: each
// space, control character and each of :;\*?"<>| replaced by '_', and a
// name that Windows reserves for a device (CON, NUL, COM1...) as the
// part before the first dot given a '_' after it. Every other byte is
// kept as it is: case, non-ASCII letters, even bytes that are not UTF-8.
func labelSafe(label string) string {
	s := label
	if i := strings.IndexFunc(label, func(r rune) bool { return r < 0x80 && unsafeInLabel(byte(r)) }); i >= 0 {
		b := []byte(label)
		for j := i; j < len(b); j++ {
			if unsafeInLabel(b[j]) {
				b[j] = labelReplacement
			}
		}
		s = string(b)
	}
	base, rest, dot := strings.Cut(s, ".")
	if reservedOnWindows(base) {
		s = base + string(labelReplacement)
		if dot {
			s += "." + rest
		}
	}
	return s
}

// unsafeInLabel reports whether labelSafe replaces the byte c. Each is
// ASCII, so never part of a multi-byte UTF-8 sequence.
func unsafeInLabel(c byte) bool {
	return c < 0x20 || c == 0x7f || strings.IndexByte(labelUnsafe, c) >= 0
}

// reservedOnWindows reports whether name is one of Windows's device names,
// which no file may have even with an extension.
func reservedOnWindows(name string) bool {
	switch strings.ToUpper(name) {
	case "CON", "PRN", "AUX", "NUL",
		"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		return true
	}
	return false
}

// The lock file holds the label from labelOffset on, when labelSafe
// changed it (otherwise the name on disk says it). Byte 0 is left alone:
// Windows's LockFileEx locks it, and a locked byte cannot be read from
// another handle.
const labelOffset = 1

// maxLabelRead bounds what Scopes reads back: a label fits in a name.
const maxLabelRead = maxNameLen

// labelContent is what a scope labelled label writes into its lock file:
// nothing if the name on disk says it all.
func labelContent(label string) []byte {
	if labelSafe(label) == label {
		return nil
	}
	return append([]byte{'\n'}, label...)
}

// labelFrom returns the label read back from a lock file (read, from
// labelOffset on), if it is one that gives onDisk; otherwise onDisk.
func labelFrom(read []byte, onDisk string) string {
	if l := string(read); l != "" && labelSafe(l) == onDisk && checkPattern("", "", l) == nil {
		return l
	}
	return onDisk
}
