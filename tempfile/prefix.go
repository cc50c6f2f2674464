package tempfile

import (
	"os"
	"sync/atomic"
)

// prefixOverride holds the SetPrefix value; nil means the default.
var prefixOverride atomic.Pointer[string]

// defaultPrefix is the seed's per-process prefix ("@<pid>." on Unix,
// "<pid>-" on Windows): it tells whose file a leftover was.
var defaultPrefix = platformPrefix(pid)

// pid is this process's id, read once: os.Getpid is a syscall each time,
// and a Go process keeps its pid (it never forks without an exec).
var pid = os.Getpid()

// Prefix returns the prefix of the final component of the names made by
// [Mktemp] and the other functions when no prefix is given (the seed's
// gettempprefix). It does not contain a directory.
func Prefix() string {
	if p := prefixOverride.Load(); p != nil {
		return *p
	}
	return defaultPrefix
}

// SetPrefix sets the prefix returned by [Prefix] for the whole process.
// A prefix holding a path separator or NUL is rejected with an error that
// matches fs.ErrInvalid, and the prefix is left as it was. SetPrefix("")
// restores the default.
func SetPrefix(prefix string) error {
	if err := checkPattern("setprefix", "prefix", prefix); err != nil {
		return err
	}
	if prefix == "" {
		prefixOverride.Store(nil)
		return nil
	}
	prefixOverride.Store(&prefix)
	return nil
}
