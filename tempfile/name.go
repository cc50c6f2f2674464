package tempfile

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
)

// Names are made of a prefix, random-looking decimal digits and a suffix.
// The digits are a bijective scramble of a per-process counter plus a
// random key, so within one process no two calls ever produce the same
// digits (until 2^64 calls), with no lock and no retry, while names stay
// hard to guess across processes. The scramble is not a cryptographic
// secret: safety never rests on it, as every create uses O_EXCL and retries.
var (
	nameKey     = randomKey()
	nameCounter atomic.Uint64
)

func randomKey() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return binary.LittleEndian.Uint64(b[:])
}

// digitsWidth is the width of the decimal form of the largest uint64, so
// every name has the same length.
const digitsWidth = 20

// nextDigits returns the next unique value of this process.
func nextDigits() uint64 {
	x := nameCounter.Add(1) + nameKey
	// The splitmix64 finaliser: each step (xor-shift, multiply by an odd
	// constant) is invertible, so the whole map is a bijection on uint64.
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// appendDigits appends the zero-padded decimal form of v, filled from the
// right with no padding pass.
func appendDigits(b []byte, v uint64) []byte {
	var d [digitsWidth]byte
	for i := digitsWidth - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:]...)
}

// makeName joins dir, prefix, fresh digits and suffix in one allocation.
func makeName(dir, prefix, suffix string) string {
	var sb strings.Builder
	sb.Grow(len(dir) + 1 + len(prefix) + digitsWidth + len(suffix))
	sb.WriteString(dir)
	if dir != "" && !os.IsPathSeparator(dir[len(dir)-1]) {
		sb.WriteByte(os.PathSeparator)
	}
	sb.WriteString(prefix)
	var d [digitsWidth]byte
	sb.Write(appendDigits(d[:0], nextDigits()))
	sb.WriteString(suffix)
	return sb.String()
}

// errBadPattern is the cause of every bad-input error: it matches fs.ErrInvalid.
type errBadPattern struct{ what, value string }

func (e *errBadPattern) Error() string {
	return "invalid argument: " + e.what + " " + strconv.Quote(e.value) + " contains a path separator or NUL"
}

func (e *errBadPattern) Is(target error) bool { return target == fs.ErrInvalid }

// checkPattern rejects a prefix, suffix or label that could leave the
// directory or truncate the name: any path separator, or NUL.
func checkPattern(op, what, value string) error {
	for i := 0; i < len(value); i++ {
		if value[i] == 0 || os.IsPathSeparator(value[i]) || value[i] == '/' {
			return &fs.PathError{Op: op, Path: value, Err: &errBadPattern{what, value}}
		}
	}
	return nil
}

// maxNameLen is the longest file name (one path component) that Linux,
// macOS and Windows all accept.
const maxNameLen = 255

// checkLen refuses a prefix and suffix that would make names too long for
// the file system, before anything is tried.
func checkLen(op, prefix, suffix string) error {
	if n := len(prefix) + digitsWidth + len(suffix); n > maxNameLen {
		return &fs.PathError{Op: op, Path: prefix + "*" + suffix,
			Err: fmt.Errorf("%w: names would be %d bytes long, over the %d a file name may have", fs.ErrInvalid, n, maxNameLen)}
	}
	return nil
}

// maxTries bounds the retries on a name that exists already. With 20
// random digits a collision is all but impossible unless someone plants
// names on purpose; giving up then is better than looping forever.
const maxTries = 10000

// errExhausted reports that every name tried existed.
func errExhausted(op, dir, prefix, suffix string) error {
	return &fs.PathError{Op: op, Path: dir + string(os.PathSeparator) + prefix + "*" + suffix,
		Err: fmt.Errorf("%w: all %d names tried exist", fs.ErrExist, maxTries)}
}
