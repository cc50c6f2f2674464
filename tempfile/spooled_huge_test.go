package tempfile_test

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// spNoPanic runs op and turns a panic into a test failure, so one bad
// offset fails its own case instead of killing the whole test binary.
func spNoPanic(t *testing.T, what string, op func() error) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", what, r)
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return op()
}

// TestSpooledHugeOffsets: offsets and sizes whose end overflows int64, or
// that no memory could hold, give an error as *os.File does (EINVAL or
// EFBIG, in a *fs.PathError), never a panic; the Spooled stays usable
// (issue 9 item 7). With no limit (max <= 0) or a limit past what memory
// should hold, a write that would grow the buffer past
// tempfile.SpooledMemoryLimit(max) rolls to disk first, where the file
// system refuses it.
func TestSpooledHugeOffsets(t *testing.T) {
	offsets := []int64{math.MaxInt64, math.MaxInt64 - 1, 1 << 62, 1 << 50, -1, math.MinInt64}
	maxes := []int64{0, -1, 1024, math.MaxInt64}
	ops := []struct {
		name string
		do   func(s *tempfile.Spooled, off int64) error
	}{
		{"WriteAt", func(s *tempfile.Spooled, off int64) error {
			n, err := s.WriteAt([]byte("xy"), off)
			if err == nil || n != 0 {
				return fmt.Errorf("wrote %d bytes, %v", n, err)
			}
			return err
		}},
		{"Seek+Write", func(s *tempfile.Spooled, off int64) error {
			if _, err := s.Seek(off, io.SeekStart); err != nil {
				return err // a refused seek is an answer too
			}
			n, err := s.Write([]byte("xy"))
			if err == nil || n != 0 {
				return fmt.Errorf("wrote %d bytes, %v", n, err)
			}
			return err
		}},
		{"Truncate", func(s *tempfile.Spooled, off int64) error {
			if err := s.Truncate(off); err == nil {
				return fmt.Errorf("Truncate(%d) succeeded", off)
			} else {
				return err
			}
		}},
	}
	for _, max := range maxes {
		for _, op := range ops {
			for _, off := range offsets {
				t.Run(fmt.Sprintf("max %d/%s/%d", max, op.name, off), func(t *testing.T) {
					s, _ := spNew(t, max)
					if _, err := s.Write([]byte("abc")); err != nil {
						t.Fatal(err)
					}
					err := spNoPanic(t, op.name, func() error { return op.do(s, off) })
					var pe *fs.PathError
					if !errors.As(err, &pe) {
						t.Fatalf("%s at %d: %v (%T), want a *fs.PathError", op.name, off, err, err)
					}
					if off < 0 && !errors.Is(err, fs.ErrInvalid) {
						t.Errorf("%s at %d: %v, want fs.ErrInvalid", op.name, off, err)
					}
					// Still usable, and the content is what it was.
					if _, err := s.Seek(0, io.SeekStart); err != nil {
						t.Fatalf("Seek back to 0: %v", err)
					}
					if _, err := s.WriteAt([]byte("A"), 0); err != nil {
						t.Fatalf("WriteAt 0 after the refusal: %v", err)
					}
					if got := string(spContent(t, s)); got != "Abc" {
						t.Errorf("content %q after the refusal, want %q", got, "Abc")
					}
				})
			}
		}
	}
}

// TestSpooledSeekOverflow: seeking past math.MaxInt64 from the current
// offset or the end is an error, never a wrapped-around offset.
func TestSpooledSeekOverflow(t *testing.T) {
	spStates(t, func(t *testing.T, rolled bool) {
		s, _ := spNew(t, 0)
		if _, err := s.Write([]byte("abc")); err != nil {
			t.Fatal(err)
		}
		spMaybeRoll(t, s, rolled)
		for _, whence := range []int{io.SeekCurrent, io.SeekEnd} {
			off, err := s.Seek(math.MaxInt64, whence)
			if err == nil {
				t.Errorf("Seek(MaxInt64, %d) = %d, want an error", whence, off)
			}
			if got := spOffset(t, s); got != 3 {
				t.Errorf("offset %d after a refused seek, want 3", got)
			}
		}
	})
}

// TestSpooledMemoryBounded: with no limit, growing past
// SpooledMemoryLimit rolls to disk instead of growing the buffer; a limit
// beyond what memory should hold is capped the same way; and a limit
// within it is kept exactly.
func TestSpooledMemoryBounded(t *testing.T) {
	cases := []struct {
		max, limit int64
	}{
		{0, tempfile.SpooledNoLimitMemory},
		{-1, tempfile.SpooledNoLimitMemory},
		{math.MaxInt64, tempfile.SpooledMaxMemory},
		{tempfile.SpooledMaxMemory + 1, tempfile.SpooledMaxMemory},
		{1024, 1024},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint("max ", c.max), func(t *testing.T) {
			s, _ := spNew(t, c.max)
			if _, err := s.WriteAt([]byte("x"), c.limit); err != nil {
				t.Fatalf("WriteAt(x, %d): %v", c.limit, err)
			}
			if !s.Rolled() {
				t.Fatalf("a write ending at %d, past the memory limit %d, did not roll", c.limit+1, c.limit)
			}
			p := make([]byte, 1)
			if _, err := s.ReadAt(p, c.limit); err != nil || p[0] != 'x' {
				t.Errorf("read back %q, %v", p, err)
			}
		})
	}
}
