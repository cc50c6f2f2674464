package tempfile

import (
	"crypto/rand"
	"encoding/binary"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"
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

// putDigits writes the zero-padded decimal form of v, two digits at a
// time from a table and in 32-bit pieces, whose divisions are cheaper
// than 64-bit ones (about twice as fast as a digit at a time).
func putDigits(d *[digitsWidth]byte, v uint64) {
	lo := v % 1e16
	hi, mid, low := uint32(v/1e16), uint32(lo/1e8), uint32(lo%1e8)
	put4((*[4]byte)(d[0:]), hi) // v < 1.9e19: at most 4 digits here
	put4((*[4]byte)(d[4:]), mid/1e4)
	put4((*[4]byte)(d[8:]), mid%1e4)
	put4((*[4]byte)(d[12:]), low/1e4)
	put4((*[4]byte)(d[16:]), low%1e4)
}

// digitPairs holds "00" to "99" in order.
const digitPairs = "0001020304050607080910111213141516171819" +
	"2021222324252627282930313233343536373839" +
	"4041424344454647484950515253545556575859" +
	"6061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// put4 writes x < 10000 as four digits.
func put4(d *[4]byte, x uint32) {
	p, q := x/100*2, x%100*2
	d[0], d[1], d[2], d[3] = digitPairs[p], digitPairs[p+1], digitPairs[q], digitPairs[q+1]
}

// A genName is a name made here (makeName, finishName, dirName) or the
// tail of one. Its bytes are followed in memory by a NUL, so that on Linux
// it goes to the kernel as it is (see sys_linux.go) where x/sys would
// copy it into a fresh NUL-terminated buffer: one allocation less per
// create. It is a struct, not a string type, so that no conversion or
// slicing outside this file can make one without its NUL.
type genName struct{ s string }

// tail returns the name from byte i on, still followed by the NUL.
func (n genName) tail(i int) genName { return genName{n.s[i:]} }

// makeName joins dir, prefix, fresh digits and suffix in one piece of a
// shared block (see newBytes), with a NUL after them.
func makeName(dir, prefix, suffix string) genName {
	return finishName(startName(dir, prefix, suffix), dir, prefix, suffix)
}

// startName takes the bytes of a name and its NUL, and copies dir in.
// Until finishName fills in the rest, a zero byte follows dir, so the
// buffer doubles as a NUL-terminated copy of dir: see dirName.
func startName(dir, prefix, suffix string) []byte {
	n := len(dir) + len(prefix) + digitsWidth + len(suffix) + 1
	if needSep(dir) {
		n++
	}
	b := newBytes(n)
	copy(b, dir)
	return b
}

// dirName returns the dir that startName copied into b. It must not be
// used after finishName, which writes over its NUL.
func dirName(b []byte, dir string) genName {
	return genName{unsafe.String(unsafe.SliceData(b), len(dir))}
}

// finishName writes the separator, prefix, fresh digits and suffix after
// the dir in b, and returns the whole name. b is never written again.
func finishName(b []byte, dir, prefix, suffix string) genName {
	i := len(dir)
	if needSep(dir) {
		b[i] = os.PathSeparator
		i++
	}
	i += copy(b[i:], prefix)
	putDigits((*[digitsWidth]byte)(b[i:]), nextDigits())
	copy(b[i+digitsWidth:], suffix)
	b[len(b)-1] = 0 // newBytes zeroed it already; the kernel depends on it
	return genName{unsafe.String(unsafe.SliceData(b), len(b)-1)}
}

// needSep reports whether a separator goes between dir and the rest.
func needSep(dir string) bool { return dir != "" && !os.IsPathSeparator(dir[len(dir)-1]) }

// Names are carved out of shared blocks rather than allocated one by one:
// a create then costs os.NewFile's two allocations and no more, and the
// garbage collector has a block to track per few dozen names, not one per
// name. The price is that a name kept alive keeps its block alive: at
// most blockSize bytes, the size of a few dozen names.
//
// The pool keeps a block per P, so goroutines never share one and never
// wait on a lock. Bytes are handed out once; their one user fills them in
// and never writes them again, so strings can refer to them.

// blockSize is the size of a block; names longer than an eighth of it are
// allocated alone, so a block is never mostly waste.
const blockSize = 2048

type block struct{ free []byte }

var blocks = sync.Pool{New: func() any { return new(block) }}

// newBytes returns n zeroed bytes that nothing else refers to.
func newBytes(n int) []byte {
	if n > blockSize/8 {
		return make([]byte, n)
	}
	b := blocks.Get().(*block)
	if len(b.free) < n {
		b.free = make([]byte, blockSize)
	}
	p := b.free[:n:n] // capped: appending to p can never reach the next name
	b.free = b.free[n:]
	blocks.Put(b)
	return p
}
