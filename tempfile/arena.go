package tempfile

import "sync"

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
