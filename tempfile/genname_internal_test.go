package tempfile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// TestPutDigits checks the table-driven digits against fmt on the edges
// of every 32-bit piece and on random values.
func TestPutDigits(t *testing.T) {
	vals := []uint64{0, 1, 9, 10, 99, 100, 9999, 10000, 1e8 - 1, 1e8, 1e16 - 1, 1e16, 1e19, math.MaxUint64}
	for range 10000 {
		vals = append(vals, rand.Uint64(), rand.Uint64N(1e16))
	}
	for _, v := range vals {
		var d [digitsWidth]byte
		putDigits(&d, v)
		if got, want := string(d[:]), fmt.Sprintf("%020d", v); got != want {
			t.Fatalf("putDigits(%d) = %s, want %s", v, got, want)
		}
	}
}

// nulAfter reports whether the byte just past n in memory is a NUL, as the
// kernel will read it.
func nulAfter(n genName) bool {
	return unsafe.Slice(unsafe.StringData(n.s), len(n.s)+1)[len(n.s)] == 0
}

// sep is what makeName puts between a directory and a name.
const sep = string(os.PathSeparator)

// TestGenNameNulTerminated checks the invariant openat relies on, for
// every shape of dir, and for a tail and a directory in the making.
func TestGenNameNulTerminated(t *testing.T) {
	cases := []struct{ dir, prefix, suffix, want string }{
		{"/tmp", "p.", ".s", "/tmp" + sep + "p.D.s"},
		{"/tmp/", "p.", "", "/tmp/p.D"},
		{"/", "", "", "/D"},
		{"", "lbl.", "", "lbl.D"},
		{"", "", "", "D"},
	}
	for _, c := range cases {
		n := makeName(c.dir, c.prefix, c.suffix)
		if !nulAfter(n) {
			t.Errorf("makeName(%q, %q, %q) = %q is not followed by a NUL", c.dir, c.prefix, c.suffix, n.s)
		}
		i := len(c.want) - len("D") - len(c.suffix)
		if got := n.s[:i] + "D" + n.s[i+digitsWidth:]; got != c.want || len(n.s) != len(c.want)-1+digitsWidth {
			t.Errorf("makeName(%q, %q, %q) = %q, want the shape %q", c.dir, c.prefix, c.suffix, n.s, c.want)
		}
		if tl := n.tail(len(c.dir)); !nulAfter(tl) {
			t.Errorf("tail of %q is not followed by a NUL", n.s)
		}
		b := startName(c.dir, c.prefix, c.suffix)
		if d := dirName(b, c.dir); d.s != c.dir || !nulAfter(d) {
			t.Errorf("dirName = %q, want %q followed by a NUL", d.s, c.dir)
		}
		if f := finishName(b, c.dir, c.prefix, c.suffix); len(f.s) != len(n.s) || !nulAfter(f) {
			t.Errorf("finishName = %q, want a name like %q followed by a NUL", f.s, n.s)
		}
	}
}

// TestNamesShareNoBytes makes names in many goroutines at once, from the
// shared blocks and, for long prefixes, outside them, and checks that
// every name still reads as it was made once all are done: two names
// carved from the same bytes would have overwritten one another.
func TestNamesShareNoBytes(t *testing.T) {
	const workers, each = 8, 5000
	got := make([][]genName, workers)
	var wg sync.WaitGroup
	for w := range workers {
		prefix := fmt.Sprintf("w%d.", w)
		if w%4 == 3 {
			prefix = strings.Repeat("L", blockSize/8) + prefix // over the block limit
		}
		wg.Go(func() {
			for range each {
				got[w] = append(got[w], makeName("/d", prefix, ".s"))
			}
		})
	}
	wg.Wait()
	seen := make(map[string]bool, workers*each)
	for w, names := range got {
		prefix := fmt.Sprintf("w%d.", w)
		for _, n := range names {
			digits := strings.TrimSuffix(n.s[strings.LastIndex(n.s, ".")-digitsWidth:], ".s")
			if !strings.HasPrefix(n.s, "/d"+sep) || !strings.Contains(n.s, prefix) || !strings.HasSuffix(n.s, ".s") ||
				len(digits) != digitsWidth || strings.Trim(digits, "0123456789") != "" || !nulAfter(n) {
				t.Fatalf("worker %d: name %q was overwritten", w, n.s)
			}
			if seen[n.s] {
				t.Fatalf("name %q made twice", n.s)
			}
			seen[n.s] = true
		}
	}
}
