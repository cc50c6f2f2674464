package tempfile

import (
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"sync"
	"syscall"
)

// Spooled is a temporary file that lives in memory until it grows past a
// size, then moves (rolls) to an unnamed file on disk, as
// [NewTemporaryFile] makes, in Options.Dir. Content and offset survive the
// roll. It is Python's SpooledTemporaryFile and Rust's SpooledTempFile.
// Its methods are safe for concurrent use; Read, Write and Seek share one
// offset, as on a file.
type Spooled struct {
	mu   sync.Mutex
	max  int64
	opts resolved // where and how to roll
	err  error    // bad Options, reported by every method but Close
	buf  []byte   // the content, until rolled
	off  int64    // the offset, until rolled
	file *os.File // the content, once rolled
	done bool     // closed
}

// NewSpooled returns an empty Spooled that keeps its content in memory
// until a write or truncate would make it longer than max bytes. As in
// Python, max <= 0 means no limit set by the caller: [Spooled.File] makes
// it roll, and so does content growing past 64 MiB, as memory is no place
// for more (a write at a far offset would otherwise allocate the whole gap
// in front of it). A max beyond 1 GiB is taken as 1 GiB for the same
// reason. Offsets and sizes that a file could not have either fail as
// they do on an *os.File: EINVAL when offset plus length overflows an
// int64, EFBIG (from the file system, after the roll) when too large.
// Options are checked, and the default directory resolved, at once; if
// they are bad, every method but Close returns the error (it matches
// fs.ErrInvalid) and nothing is ever created. Beyond what every creator
// refuses, Flag may not hold os.O_WRONLY or os.O_APPEND: a Spooled reads,
// and writes at any offset, in memory and on disk alike.
func NewSpooled(max int64, o Options) *Spooled {
	s := &Spooled{max: max}
	s.opts, s.err = o.resolve("spooled", 0o600)
	if s.err == nil && (o.Flag&(os.O_RDONLY|os.O_WRONLY|os.O_RDWR) == os.O_WRONLY || o.Flag&os.O_APPEND != 0) {
		s.err = &fs.PathError{Op: "spooled", Path: s.opts.dir,
			Err: fmt.Errorf("%w: flag %#x: a Spooled cannot be write-only or append-only", fs.ErrInvalid, o.Flag)}
	}
	return s
}

// The most a Spooled holds in memory. A Spooled without a limit (max <= 0)
// still rolls once its content would pass spoolNoLimitMemory, and no limit
// is taken beyond spoolMaxMemory: a write at a far offset would otherwise
// allocate the whole gap (or die trying: a write at 1<<50 asks for a
// petabyte), where a file on disk keeps it sparse or refuses it with EFBIG.
const (
	spoolNoLimitMemory = 64 << 20
	spoolMaxMemory     = 1 << 30
)

// errNegative is the cause of a negative offset or size.
var errNegative = fmt.Errorf("%w: negative offset or size", fs.ErrInvalid)

// usable reports why s cannot be used, if it cannot. Call with s.mu held.
func (s *Spooled) usable(op string) error {
	switch {
	case s.err != nil:
		return s.err
	case s.done:
		return &fs.PathError{Op: op, Path: "spooled", Err: fs.ErrClosed}
	}
	return nil
}

// memoryLimit is the most content s holds in memory: max, within the
// bounds above.
func (s *Spooled) memoryLimit() int64 {
	switch {
	case s.max <= 0:
		return spoolNoLimitMemory
	case s.max > spoolMaxMemory:
		return spoolMaxMemory
	}
	return s.max
}

// rollFor rolls, if it has not yet, when content reaching end would pass
// the limit. Call with s.mu held.
func (s *Spooled) rollFor(end int64) error {
	if end > s.memoryLimit() {
		return s.roll()
	}
	return nil
}

// endOf returns off+n, the end of a write of n bytes at off, or the error
// an *os.File gives (EINVAL) when that end would overflow an int64.
func endOf(op string, off int64, n int) (int64, error) {
	if off > math.MaxInt64-int64(n) {
		return 0, &fs.PathError{Op: op, Path: "spooled", Err: syscall.EINVAL}
	}
	return off + int64(n), nil
}

// roll moves the content to disk. Call with s.mu held. On failure the
// content stays in memory, untouched.
func (s *Spooled) roll() error {
	if s.file != nil {
		return nil
	}
	f, err := openUnnamed(s.opts)
	if err != nil {
		return err
	}
	if _, err := f.Write(s.buf); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Seek(s.off, io.SeekStart); err != nil {
		f.Close()
		return err
	}
	s.file, s.buf, s.off = f, nil, 0
	return nil
}

// Rolled reports whether the content is on disk.
func (s *Spooled) Rolled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.file != nil
}

// File rolls the content to disk if it is not there yet and returns the
// file. The file belongs to s: use it, but close s, not the file.
func (s *Spooled) File() (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("file"); err != nil {
		return nil, err
	}
	if err := s.roll(); err != nil {
		return nil, err
	}
	return s.file, nil
}

// Read reads from the current offset.
func (s *Spooled) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("read"); err != nil {
		return 0, err
	}
	if s.file != nil {
		return s.file.Read(p)
	}
	n, err := s.readAt(p, s.off)
	s.off += int64(n)
	return n, err
}

// ReadAt reads from off without moving the offset.
func (s *Spooled) ReadAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("read"); err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, &fs.PathError{Op: "readat", Path: "spooled", Err: errNegative}
	}
	if s.file != nil {
		return s.file.ReadAt(p, off)
	}
	n, err := s.readAt(p, off)
	if err == nil && n < len(p) {
		err = io.EOF // io.ReaderAt: a short read says why
	}
	return n, err
}

func (s *Spooled) readAt(p []byte, off int64) (int, error) {
	if off >= int64(len(s.buf)) {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, io.EOF
	}
	return copy(p, s.buf[off:]), nil
}

// Write writes at the current offset, rolling to disk first if the
// content would grow past the limit.
func (s *Spooled) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("write"); err != nil {
		return 0, err
	}
	if s.file != nil {
		return s.file.Write(p)
	}
	if len(p) > 0 {
		end, err := endOf("write", s.off, len(p))
		if err != nil {
			return 0, err
		}
		if err := s.rollFor(end); err != nil {
			return 0, err
		}
		if s.file != nil {
			return s.file.Write(p)
		}
	}
	s.writeAt(p, s.off)
	s.off += int64(len(p))
	return len(p), nil
}

// WriteAt writes at off without moving the offset, rolling to disk first
// if the content would grow past the limit.
func (s *Spooled) WriteAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("writeat"); err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, &fs.PathError{Op: "writeat", Path: "spooled", Err: errNegative}
	}
	if s.file != nil {
		return s.file.WriteAt(p, off)
	}
	if len(p) > 0 {
		end, err := endOf("writeat", off, len(p))
		if err != nil {
			return 0, err
		}
		if err := s.rollFor(end); err != nil {
			return 0, err
		}
		if s.file != nil {
			return s.file.WriteAt(p, off)
		}
	}
	s.writeAt(p, off)
	return len(p), nil
}

// writeAt writes p at off in memory; a gap reads as zeros, as in a file.
// An empty write changes nothing, as on a file. The caller has checked
// that the end is within the memory limit.
func (s *Spooled) writeAt(p []byte, off int64) {
	if len(p) == 0 {
		return
	}
	if end := off + int64(len(p)); end > int64(len(s.buf)) {
		s.buf = append(s.buf, make([]byte, end-int64(len(s.buf)))...)
	}
	copy(s.buf[off:], p)
}

// Seek sets the offset, as on a file; seeking past the end is allowed.
// A bad whence or a negative result is an error matching fs.ErrInvalid,
// in memory and on disk alike.
func (s *Spooled) Seek(offset int64, whence int) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("seek"); err != nil {
		return 0, err
	}
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = s.off
		if s.file != nil {
			cur, err := s.file.Seek(0, io.SeekCurrent)
			if err != nil {
				return 0, err
			}
			base = cur
		}
	case io.SeekEnd:
		base = int64(len(s.buf))
		if s.file != nil {
			fi, err := s.file.Stat()
			if err != nil {
				return 0, err
			}
			base = fi.Size()
		}
	default:
		return 0, &fs.PathError{Op: "seek", Path: "spooled", Err: fmt.Errorf("%w: whence %d", fs.ErrInvalid, whence)}
	}
	if offset > 0 && base > math.MaxInt64-offset {
		return 0, &fs.PathError{Op: "seek", Path: "spooled", Err: syscall.EINVAL}
	}
	abs := base + offset
	if abs < 0 {
		return 0, &fs.PathError{Op: "seek", Path: "spooled", Err: errNegative}
	}
	if s.file != nil {
		return s.file.Seek(abs, io.SeekStart)
	}
	s.off = abs
	return abs, nil
}

// Truncate changes the size, as on a file, without moving the offset;
// growing past the limit rolls to disk.
func (s *Spooled) Truncate(size int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("truncate"); err != nil {
		return err
	}
	if size < 0 {
		return &fs.PathError{Op: "truncate", Path: "spooled", Err: errNegative}
	}
	if err := s.rollFor(size); err != nil {
		return err
	}
	if s.file != nil {
		return s.file.Truncate(size)
	}
	if size <= int64(len(s.buf)) {
		clear(s.buf[size:])
		s.buf = s.buf[:size]
	} else {
		s.buf = append(s.buf, make([]byte, size-int64(len(s.buf)))...)
	}
	return nil
}

// Close releases the memory or closes (and so removes) the file on disk.
// Close is idempotent: later calls return nil.
func (s *Spooled) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return nil
	}
	s.done = true
	s.buf = nil
	if s.file != nil {
		err := s.file.Close()
		s.file = nil
		return err
	}
	return nil
}

var _ interface {
	io.ReadWriteSeeker
	io.ReaderAt
	io.WriterAt
	io.Closer
} = (*Spooled)(nil)
