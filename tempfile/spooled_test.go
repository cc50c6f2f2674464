package tempfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// spContent reads the whole content of s without moving its offset.
func spContent(t *testing.T, s interface {
	ReadAt([]byte, int64) (int, error)
}) []byte {
	t.Helper()
	b := make([]byte, 1<<12)
	n, err := s.ReadAt(b, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("ReadAt: %v", err)
	}
	if n == len(b) {
		t.Fatal("content too long for spContent")
	}
	return b[:n]
}

// spOffset returns the current offset of s.
func spOffset(t *testing.T, s io.Seeker) int64 {
	t.Helper()
	off, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		t.Fatalf("Seek(0, SeekCurrent): %v", err)
	}
	return off
}

// spNew returns a Spooled with limit max in a private directory, closed at
// the end of the test.
func spNew(t *testing.T, max int64) (*tempfile.Spooled, string) {
	t.Helper()
	dir := privateTmp(t)
	s := tempfile.NewSpooled(max, tempfile.Options{Dir: dir})
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// spMaybeRoll forces s to disk, or leaves it in memory, as asked.
func spMaybeRoll(t *testing.T, s *tempfile.Spooled, roll bool) {
	t.Helper()
	if roll {
		if _, err := s.File(); err != nil {
			t.Fatalf("File: %v", err)
		}
	}
	if s.Rolled() != roll {
		t.Fatalf("Rolled() = %v, want %v", s.Rolled(), roll)
	}
}

func spStates(t *testing.T, f func(t *testing.T, rolled bool)) {
	for _, rolled := range []bool{false, true} {
		name := "memory"
		if rolled {
			name = "rolled"
		}
		t.Run(name, func(t *testing.T) { f(t, rolled) })
	}
}

type spOp struct {
	name string
	do   func(s *tempfile.Spooled) error
}

func spWrite(p string) spOp {
	return spOp{fmt.Sprintf("Write(%d)", len(p)), func(s *tempfile.Spooled) error {
		n, err := s.Write([]byte(p))
		if err == nil && n != len(p) {
			err = fmt.Errorf("wrote %d of %d", n, len(p))
		}
		return err
	}}
}

func spWriteAt(p string, off int64) spOp {
	return spOp{fmt.Sprintf("WriteAt(%d, %d)", len(p), off), func(s *tempfile.Spooled) error {
		n, err := s.WriteAt([]byte(p), off)
		if err == nil && n != len(p) {
			err = fmt.Errorf("wrote %d of %d", n, len(p))
		}
		return err
	}}
}

func spSeek(off int64, whence int) spOp {
	return spOp{fmt.Sprintf("Seek(%d, %d)", off, whence), func(s *tempfile.Spooled) error {
		_, err := s.Seek(off, whence)
		return err
	}}
}

func spTruncate(size int64) spOp {
	return spOp{fmt.Sprintf("Truncate(%d)", size), func(s *tempfile.Spooled) error { return s.Truncate(size) }}
}

// TestSpooledLimit drives Spooled with limit 10 to just below and just past
// the limit with each growing operation and checks when it rolls, what it
// holds, and where its offset is.
func TestSpooledLimit(t *testing.T) {
	const max = 10
	tests := []struct {
		name    string
		ops     []spOp
		rollsAt int // index of the op that must roll; -1: never
		content string
		offset  int64
	}{
		{"Write up to max", []spOp{spWrite("01234"), spWrite("56789")}, -1, "0123456789", 10},
		{"Write past max", []spOp{spWrite("01234"), spWrite("56789"), spWrite("A")}, 2, "0123456789A", 11},
		{"overwrite within max", []spOp{spWrite("0123456789"), spSeek(2, io.SeekStart), spWrite("abcdefgh")}, -1, "01abcdefgh", 10},
		{"overwrite past max", []spOp{spWrite("0123456789"), spSeek(4, io.SeekStart), spWrite("ABCDEFG")}, 2, "0123ABCDEFG", 11},
		{"WriteAt up to max", []spOp{spWriteAt("89", 8)}, -1, "\x00\x00\x00\x00\x00\x00\x00\x0089", 0},
		{"WriteAt past max", []spOp{spWrite("abc"), spWriteAt("89A", 8)}, 1, "abc\x00\x00\x00\x00\x0089A", 3},
		{"Seek past max alone", []spOp{spWrite("ab"), spSeek(100, io.SeekStart)}, -1, "ab", 100},
		{"Write after Seek past max", []spOp{spWrite("ab"), spSeek(12, io.SeekStart), spWrite("z")}, 2, "ab\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00z", 13},
		{"Truncate to max", []spOp{spWrite("abc"), spTruncate(max)}, -1, "abc\x00\x00\x00\x00\x00\x00\x00", 3},
		{"Truncate past max", []spOp{spWrite("abc"), spTruncate(max + 1)}, 1, "abc\x00\x00\x00\x00\x00\x00\x00\x00", 3},
		{"empty Write at max", []spOp{spWrite("0123456789"), spWrite("")}, -1, "0123456789", 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, dir := spNew(t, max)
			for i, op := range tt.ops {
				if err := op.do(s); err != nil {
					t.Fatalf("%s: %v", op.name, err)
				}
				wantRolled := tt.rollsAt >= 0 && i >= tt.rollsAt
				if got := s.Rolled(); got != wantRolled {
					t.Fatalf("after %s: Rolled() = %v, want %v", op.name, got, wantRolled)
				}
				// In memory: no file at all in dir, not even an unnamed one.
				// Rolled: exactly one, and unnamed.
				open := spOpenIn(t, dir)
				if wantRolled && len(open) != 1 || !wantRolled && len(open) != 0 {
					t.Fatalf("after %s: open files in %s: %q", op.name, dir, open)
				}
				mustHoldNoName(t, dir)
			}
			if got := spContent(t, s); string(got) != tt.content {
				t.Errorf("content %q, want %q", got, tt.content)
			}
			if got := spOffset(t, s); got != tt.offset {
				t.Errorf("offset %d, want %d", got, tt.offset)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if open := spOpenIn(t, dir); len(open) != 0 {
				t.Errorf("Close left open files in %s: %q", dir, open)
			}
		})
	}
}

// TestSpooledFileForcesRoll checks that File moves content and offset (also
// an offset past the end) to disk and always returns the same file.
func TestSpooledFileForcesRoll(t *testing.T) {
	for _, off := range []int64{0, 3, 11, 50} {
		t.Run(fmt.Sprint("offset ", off), func(t *testing.T) {
			s, dir := spNew(t, 1000)
			if _, err := s.Write([]byte("hello world")); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Seek(off, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			if s.Rolled() {
				t.Fatal("rolled before File")
			}
			f, err := s.File()
			if err != nil {
				t.Fatalf("File: %v", err)
			}
			if !s.Rolled() {
				t.Error("Rolled() = false after File")
			}
			if got := spContent(t, f); string(got) != "hello world" {
				t.Errorf("file holds %q", got)
			}
			if got := spOffset(t, f); got != off {
				t.Errorf("file offset %d, want %d", got, off)
			}
			if got := spOffset(t, s); got != off {
				t.Errorf("Spooled offset %d after roll, want %d", got, off)
			}
			g, err := s.File()
			if err != nil || g != f {
				t.Errorf("second File() = %p, %v; want the same %p", g, err, f)
			}
			// Spooled reads and writes go to that file from now on.
			if _, err := s.WriteAt([]byte("W"), 6); err != nil {
				t.Fatal(err)
			}
			if got := spContent(t, f); string(got) != "hello World" {
				t.Errorf("write through Spooled not in the file: %q", got)
			}
			if open := spOpenIn(t, dir); len(open) != 1 {
				t.Errorf("open files in %s: %q, want one", dir, open)
			}
			mustHoldNoName(t, dir)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Write([]byte("x")); !errors.Is(err, fs.ErrClosed) {
				t.Errorf("Close did not close the rolled file: %v", err)
			}
		})
	}
}

// TestSpooledRollsIntoOptionsDir checks that the rolled file is an unnamed
// file on the file system of Options.Dir (a tmpfs, unlike the default Dir)
// and that neither directory gains an entry.
func TestSpooledRollsIntoOptionsDir(t *testing.T) {
	for _, noTmpfile := range []bool{false, true} {
		t.Run(fmt.Sprint("NoTmpfile=", noTmpfile), func(t *testing.T) {
			prev := tempfile.NoTmpfile.Load()
			tempfile.NoTmpfile.Store(noTmpfile)
			t.Cleanup(func() { tempfile.NoTmpfile.Store(prev) })
			def := privateTmp(t)
			shm := ftShm(t, def)
			for _, tt := range []struct{ name, optDir, want string }{
				{"Options.Dir", shm, shm},
				{"default Dir", "", def},
			} {
				t.Run(tt.name, func(t *testing.T) {
					s := tempfile.NewSpooled(4, tempfile.Options{Dir: tt.optDir})
					defer s.Close()
					if _, err := s.Write([]byte("12345")); err != nil {
						t.Fatal(err)
					}
					f, err := s.File()
					if err != nil {
						t.Fatal(err)
					}
					fi, err := f.Stat()
					if err != nil {
						t.Fatal(err)
					}
					dev, nlink := devLinks(t, fi)
					if got, want := dev, ftDev(t, tt.want); got != want {
						t.Errorf("rolled file on device %d, want %d (that of %s)", got, want, tt.want)
					}
					if nlink != 0 {
						t.Errorf("rolled file has %d names, want none", nlink)
					}
					if fi.Mode().Perm() != 0o600 {
						t.Errorf("rolled file mode %v, want 0600", fi.Mode())
					}
					if open := spOpenIn(t, tt.want); len(open) != 1 {
						t.Errorf("open files in %s: %q, want one", tt.want, open)
					}
					mustEmpty(t, shm)
					mustEmpty(t, def)
				})
			}
		})
	}
}

func TestSpooledReadAtShort(t *testing.T) {
	spStates(t, func(t *testing.T, rolled bool) {
		s, _ := spNew(t, 100)
		if _, err := s.Write([]byte("0123456789")); err != nil {
			t.Fatal(err)
		}
		spMaybeRoll(t, s, rolled)
		tests := []struct {
			off, size int
			want      string
			err       error
		}{
			{0, 10, "0123456789", nil},
			{2, 3, "234", nil},
			{5, 10, "56789", io.EOF},
			{9, 2, "9", io.EOF},
			{10, 1, "", io.EOF},
			{50, 4, "", io.EOF},
			{50, 0, "", nil},
			{3, 0, "", nil},
		}
		for _, tt := range tests {
			p := make([]byte, tt.size)
			n, err := s.ReadAt(p, int64(tt.off))
			if string(p[:n]) != tt.want || !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Errorf("ReadAt(%d bytes, %d) = %q, %v; want %q, %v", tt.size, tt.off, p[:n], err, tt.want, tt.err)
			}
		}
		if got := spOffset(t, s); got != 10 {
			t.Errorf("ReadAt moved the offset to %d", got)
		}
	})
}

func TestSpooledReadAdvances(t *testing.T) {
	spStates(t, func(t *testing.T, rolled bool) {
		s, _ := spNew(t, 100)
		if _, err := s.Write([]byte("abcdefg")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Seek(1, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		spMaybeRoll(t, s, rolled)
		var got []string
		p := make([]byte, 4)
		for {
			n, err := s.Read(p)
			if errors.Is(err, io.EOF) {
				if n != 0 {
					t.Errorf("Read returned %d bytes with io.EOF", n)
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(p[:n]))
		}
		if strings.Join(got, "|") != "bcde|fg" {
			t.Errorf("reads %q, want [bcde fg]", got)
		}
		if n, err := s.Read(nil); n != 0 || err != nil {
			t.Errorf("empty Read at EOF = %d, %v; want 0, nil", n, err)
		}
		if off := spOffset(t, s); off != 7 {
			t.Errorf("offset %d after reading to the end, want 7", off)
		}
	})
}

func TestSpooledSeek(t *testing.T) {
	spStates(t, func(t *testing.T, rolled bool) {
		s, _ := spNew(t, 100)
		if _, err := s.Write([]byte("0123456789")); err != nil {
			t.Fatal(err)
		}
		spMaybeRoll(t, s, rolled)
		tests := []struct {
			off    int64
			whence int
			want   int64
		}{
			{3, io.SeekStart, 3},
			{4, io.SeekCurrent, 7},
			{-2, io.SeekCurrent, 5},
			{0, io.SeekEnd, 10},
			{-10, io.SeekEnd, 0},
			{5, io.SeekEnd, 15}, // past the end is allowed
			{0, io.SeekCurrent, 15},
			{0, io.SeekStart, 0},
		}
		for _, tt := range tests {
			got, err := s.Seek(tt.off, tt.whence)
			if err != nil || got != tt.want {
				t.Errorf("Seek(%d, %d) = %d, %v; want %d", tt.off, tt.whence, got, err, tt.want)
			}
		}
		if _, err := s.Seek(15, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
		if got := spContent(t, s); string(got) != "0123456789\x00\x00\x00\x00\x00x" {
			t.Errorf("write past the end: %q, want a zero-filled gap", got)
		}
	})
}

// TestSpooledInvalidArguments checks that a negative offset or size, or a
// bad whence, fails with fs.ErrInvalid and changes nothing, before and
// after the roll alike: a caller cannot see which state it is in.
func TestSpooledInvalidArguments(t *testing.T) {
	ops := []struct {
		name string
		do   func(s *tempfile.Spooled) error
	}{
		{"Seek(-1, SeekStart)", func(s *tempfile.Spooled) error { _, err := s.Seek(-1, io.SeekStart); return err }},
		{"Seek(-5, SeekCurrent)", func(s *tempfile.Spooled) error { _, err := s.Seek(-5, io.SeekCurrent); return err }},
		{"Seek(-11, SeekEnd)", func(s *tempfile.Spooled) error { _, err := s.Seek(-11, io.SeekEnd); return err }},
		{"Seek(0, 7)", func(s *tempfile.Spooled) error { _, err := s.Seek(0, 7); return err }},
		{"ReadAt(-1)", func(s *tempfile.Spooled) error { _, err := s.ReadAt(make([]byte, 1), -1); return err }},
		{"WriteAt(-1)", func(s *tempfile.Spooled) error { _, err := s.WriteAt([]byte("x"), -1); return err }},
		{"Truncate(-1)", func(s *tempfile.Spooled) error { return s.Truncate(-1) }},
	}
	spStates(t, func(t *testing.T, rolled bool) {
		for _, op := range ops {
			s, _ := spNew(t, 100)
			if _, err := s.Write([]byte("0123456789")); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Seek(4, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			spMaybeRoll(t, s, rolled)
			err := op.do(s)
			switch {
			case err == nil:
				t.Errorf("%s succeeded", op.name)
			case !errors.Is(err, fs.ErrInvalid):
				t.Errorf("%s: %v, want fs.ErrInvalid", op.name, err)
			}
			if got := spOffset(t, s); got != 4 {
				t.Errorf("%s moved the offset to %d", op.name, got)
			}
			if got := spContent(t, s); string(got) != "0123456789" {
				t.Errorf("%s changed the content to %q", op.name, got)
			}
			if s.Rolled() != rolled {
				t.Errorf("%s changed Rolled() to %v", op.name, s.Rolled())
			}
		}
	})
}

// TestSpooledEmptyWritePastEnd checks that writing nothing at an offset
// past the end changes nothing, as on a file (write(2) of 0 bytes does not
// extend a file), and does not roll: it makes the content no longer.
func TestSpooledEmptyWritePastEnd(t *testing.T) {
	const max = 10
	tests := []struct {
		name string
		do   func(s *tempfile.Spooled) error
	}{
		{"Write after Seek(5)", func(s *tempfile.Spooled) error {
			if _, err := s.Seek(5, io.SeekStart); err != nil {
				return err
			}
			_, err := s.Write(nil)
			return err
		}},
		{"WriteAt(nil, 7)", func(s *tempfile.Spooled) error { _, err := s.WriteAt(nil, 7); return err }},
		{"Write after Seek past max", func(s *tempfile.Spooled) error {
			if _, err := s.Seek(max+5, io.SeekStart); err != nil {
				return err
			}
			_, err := s.Write([]byte{})
			return err
		}},
		{"WriteAt(nil) past max", func(s *tempfile.Spooled) error { _, err := s.WriteAt([]byte{}, max+5); return err }},
	}
	spStates(t, func(t *testing.T, rolled bool) {
		for _, tt := range tests {
			s, _ := spNew(t, max)
			if _, err := s.Write([]byte("abc")); err != nil {
				t.Fatal(err)
			}
			spMaybeRoll(t, s, rolled)
			if err := tt.do(s); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			// An empty write past the end grows nothing, as on a file, and
			// so cannot pass the limit either.
			if got := spContent(t, s); string(got) != "abc" {
				t.Errorf("%s (rolled %v): content %q, want %q unchanged as on a file", tt.name, rolled, got, "abc")
			}
			if s.Rolled() != rolled {
				t.Errorf("%s: Rolled() = %v, want %v: an empty write cannot pass the limit", tt.name, s.Rolled(), rolled)
			}
		}
	})
}

func TestSpooledTruncate(t *testing.T) {
	spStates(t, func(t *testing.T, rolled bool) {
		s, _ := spNew(t, 100)
		if _, err := s.Write([]byte("0123456789")); err != nil {
			t.Fatal(err)
		}
		spMaybeRoll(t, s, rolled)
		steps := []struct {
			size int64
			want string
		}{
			{4, "0123"},
			{8, "0123\x00\x00\x00\x00"}, // the cut bytes do not come back
			{8, "0123\x00\x00\x00\x00"},
			{0, ""},
			{3, "\x00\x00\x00"},
		}
		for _, st := range steps {
			if err := s.Truncate(st.size); err != nil {
				t.Fatalf("Truncate(%d): %v", st.size, err)
			}
			if got := spContent(t, s); string(got) != st.want {
				t.Errorf("after Truncate(%d): %q, want %q", st.size, got, st.want)
			}
			if got := spOffset(t, s); got != 10 {
				t.Errorf("Truncate(%d) moved the offset to %d", st.size, got)
			}
		}
		// Writing at the offset (10, past the end) zero-fills the gap.
		if _, err := s.Write([]byte("z")); err != nil {
			t.Fatal(err)
		}
		if got := spContent(t, s); string(got) != "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00z" {
			t.Errorf("after a write past the truncated end: %q", got)
		}
		if s.Rolled() != rolled {
			t.Errorf("Rolled() = %v, want %v", s.Rolled(), rolled)
		}
	})
}

func TestSpooledClose(t *testing.T) {
	spStates(t, func(t *testing.T, rolled bool) {
		s, dir := spNew(t, 100)
		if _, err := s.Write([]byte("data")); err != nil {
			t.Fatal(err)
		}
		spMaybeRoll(t, s, rolled)
		for i := range 3 {
			if err := s.Close(); err != nil {
				t.Errorf("Close #%d: %v", i+1, err)
			}
		}
		if open := spOpenIn(t, dir); len(open) != 0 {
			t.Errorf("open files in %s after Close: %q", dir, open)
		}
		mustEmpty(t, dir)
		for name, call := range spCalls(t, s) {
			if err := call(); !errors.Is(err, fs.ErrClosed) {
				t.Errorf("%s after Close: %v, want fs.ErrClosed", name, err)
			}
		}
		if s.Rolled() {
			t.Error("Rolled() = true after Close")
		}
		if open := spOpenIn(t, dir); len(open) != 0 {
			t.Errorf("a call after Close opened %q", open)
		}
		mustEmpty(t, dir)
	})
}

// TestSpooledBadOptions: every creator's bad Options, and the flags that
// would break a Spooled once rolled (it reads, and writes at offsets),
// make every method fail with fs.ErrInvalid and nothing is created.
func TestSpooledBadOptions(t *testing.T) {
	bad := append(slices.Clone(badOptions), []struct {
		name string
		o    tempfile.Options
	}{
		{"append flag", tempfile.Options{Flag: os.O_APPEND}},
		{"write-only flag", tempfile.Options{Flag: os.O_WRONLY}},
	}...)
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			dir := privateTmp(t)
			o := badIn(tt.o, dir)
			s := tempfile.NewSpooled(1, o) // any write would roll
			for name, call := range spCalls(t, s) {
				if err := call(); !errors.Is(err, fs.ErrInvalid) {
					t.Errorf("%s: %v, want fs.ErrInvalid", name, err)
				}
			}
			if s.Rolled() {
				t.Error("Rolled() = true")
			}
			if open := spOpenIn(t, dir); len(open) != 0 {
				t.Errorf("open files in %s: %q", dir, open)
			}
			mustEmpty(t, dir)
			// The doc says every method returns the error; Close returning
			// nil is accepted too (it has nothing to release).
			if err := s.Close(); err != nil && !errors.Is(err, fs.ErrInvalid) {
				t.Errorf("Close: %v", err)
			}
			mustEmpty(t, dir)
		})
	}
}

func TestSpooledNoLimit(t *testing.T) {
	for _, max := range []int64{0, -1, -1 << 40} {
		t.Run(fmt.Sprint("max ", max), func(t *testing.T) {
			s, dir := spNew(t, max)
			chunk := bytes.Repeat([]byte("abcdefgh"), 8<<10) // 64 KiB
			for range 4 {
				if _, err := s.Write(chunk); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.WriteAt([]byte("end"), 1<<20); err != nil {
				t.Fatal(err)
			}
			if err := s.Truncate(2 << 20); err != nil {
				t.Fatal(err)
			}
			if s.Rolled() {
				t.Fatal("rolled on its own with no limit")
			}
			if open := spOpenIn(t, dir); len(open) != 0 {
				t.Fatalf("open files in %s: %q", dir, open)
			}
			f, err := s.File()
			if err != nil {
				t.Fatal(err)
			}
			if !s.Rolled() {
				t.Error("File did not roll")
			}
			fi, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			if fi.Size() != 2<<20 {
				t.Errorf("rolled size %d, want %d", fi.Size(), 2<<20)
			}
			p := make([]byte, 3)
			if _, err := f.ReadAt(p, 1<<20); err != nil || string(p) != "end" {
				t.Errorf("rolled file at 1 MiB: %q, %v", p, err)
			}
			if _, err := f.ReadAt(p, 4*64<<10-3); err != nil || string(p) != "fgh" {
				t.Errorf("rolled file at the end of the writes: %q, %v", p, err)
			}
			if got := spOffset(t, s); got != 4*64<<10 {
				t.Errorf("offset %d after the roll, want %d", got, 4*64<<10)
			}
		})
	}
}

// TestSpooledMatchesFile drives a Spooled and a plain *os.File with the same
// seeded random operations; the Spooled rolls midway. Every result, the
// content and the offset must agree after every step.
func TestSpooledMatchesFile(t *testing.T) {
	const max = 64
	for seed := uint64(1); seed <= 16; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			dir := privateTmp(t)
			ref, err := os.CreateTemp(t.TempDir(), "ref")
			if err != nil {
				t.Fatal(err)
			}
			defer ref.Close()
			s := tempfile.NewSpooled(max, tempfile.Options{Dir: dir})
			defer s.Close()

			rng := rand.New(rand.NewPCG(seed, 42))
			randBytes := func(n int) []byte {
				b := make([]byte, n)
				for i := range b {
					b[i] = byte('a' + rng.IntN(26))
				}
				return b
			}
			type rw interface {
				io.ReadWriteSeeker
				io.ReaderAt
				io.WriterAt
				Truncate(int64) error
			}
			rolledAt := -1
			var log []string
			// The first steps use smaller offsets and sizes so that the roll
			// comes midway, not at once.
			const early = 20
			for i := range 200 {
				span := int64(90)
				if i < early {
					span = 40
				}
				var op string
				var do func(f rw) (int64, []byte, error)
				grow := int64(-1) // the end a write or truncate asks for
				refOff := spOffset(t, ref)
				switch rng.IntN(6) {
				case 0:
					p := randBytes(rng.IntN(16)) // empty writes included
					op = fmt.Sprintf("Write(%q)", p)
					if len(p) > 0 {
						grow = refOff + int64(len(p))
					}
					do = func(f rw) (int64, []byte, error) { n, err := f.Write(p); return int64(n), nil, err }
				case 1:
					p, off := randBytes(rng.IntN(16)), rng.Int64N(span)
					op = fmt.Sprintf("WriteAt(%q, %d)", p, off)
					if len(p) > 0 {
						grow = off + int64(len(p))
					}
					do = func(f rw) (int64, []byte, error) { n, err := f.WriteAt(p, off); return int64(n), nil, err }
				case 2:
					whence := rng.IntN(3)
					off := rng.Int64N(80) - 20
					if whence == io.SeekStart || i < early {
						whence = io.SeekStart
						off = rng.Int64N(span+5) - 5 // now and then negative: must fail on both
					}
					op = fmt.Sprintf("Seek(%d, %d)", off, whence)
					do = func(f rw) (int64, []byte, error) { n, err := f.Seek(off, whence); return n, nil, err }
				case 3:
					size := rng.Int64N(span)
					op = fmt.Sprintf("Truncate(%d)", size)
					grow = size
					do = func(f rw) (int64, []byte, error) { return 0, nil, f.Truncate(size) }
				case 4:
					n := rng.IntN(20)
					op = fmt.Sprintf("Read(%d)", n)
					do = func(f rw) (int64, []byte, error) {
						p := make([]byte, n)
						m, err := f.Read(p)
						return int64(m), p[:m], err
					}
				case 5:
					n, off := rng.IntN(20), rng.Int64N(100)
					op = fmt.Sprintf("ReadAt(%d, %d)", n, off)
					do = func(f rw) (int64, []byte, error) {
						p := make([]byte, n)
						m, err := f.ReadAt(p, off)
						return int64(m), p[:m], err
					}
				}
				log = append(log, op)
				wasRolled := s.Rolled()
				sn, sb, serr := do(s)
				rn, rb, rerr := do(ref)
				if (serr == nil) != (rerr == nil) || errors.Is(serr, io.EOF) != errors.Is(rerr, io.EOF) || (serr == nil && (sn != rn || !bytes.Equal(sb, rb))) {
					t.Fatalf("step %d %s: Spooled = %d, %q, %v; *os.File = %d, %q, %v\nops: %s",
						i, op, sn, sb, serr, rn, rb, rerr, strings.Join(log, "; "))
				}
				// It rolls exactly when asked to pass max, and never goes back.
				if want := wasRolled || grow > max; s.Rolled() != want {
					t.Fatalf("step %d %s: Rolled() = %v, want %v\nops: %s", i, op, s.Rolled(), want, strings.Join(log, "; "))
				}
				if !wasRolled && s.Rolled() {
					rolledAt = i
				}
				if sc, rc := spContent(t, s), spContent(t, ref); !bytes.Equal(sc, rc) {
					t.Fatalf("step %d %s (rolled %v): content %q, want %q\nops: %s", i, op, s.Rolled(), sc, rc, strings.Join(log, "; "))
				}
				if so, ro := spOffset(t, s), spOffset(t, ref); so != ro {
					t.Fatalf("step %d %s (rolled %v): offset %d, want %d\nops: %s", i, op, s.Rolled(), so, ro, strings.Join(log, "; "))
				}
			}
			if rolledAt <= 0 {
				// Depends only on the seeds and sizes above, not on the code.
				t.Fatalf("the sequence rolled at step %d, not midway: change the seeds or sizes", rolledAt)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			mustEmpty(t, dir)
		})
	}
}

// spCalls is every method of s that can fail, each a call that must not
// succeed on a closed or badly made Spooled: writes past any limit, a
// Truncate that would roll, a File that must return none.
func spCalls(t *testing.T, s *tempfile.Spooled) map[string]func() error {
	return map[string]func() error{
		"Read":     func() error { _, err := s.Read(make([]byte, 1)); return err },
		"ReadAt":   func() error { _, err := s.ReadAt(make([]byte, 1), 0); return err },
		"Write":    func() error { _, err := s.Write([]byte("xyz")); return err },
		"WriteAt":  func() error { _, err := s.WriteAt([]byte("xyz"), 0); return err },
		"Seek":     func() error { _, err := s.Seek(0, io.SeekStart); return err },
		"Truncate": func() error { return s.Truncate(10) },
		"File": func() error {
			f, err := s.File()
			if f != nil {
				t.Errorf("File returned %v", f.Name())
			}
			return err
		},
	}
}
