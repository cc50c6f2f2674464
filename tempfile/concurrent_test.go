package tempfile_test

import (
	"bytes"
	"os"
	"sync"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// TestConcurrentUse drives one scope and one Spooled from 8 goroutines at
// once (run with -race): every file is made once, every byte lands.
func TestConcurrentUse(t *testing.T) {
	fastTmp(t)
	s, err := tempfile.NewScope("concurrent")
	mustDo(t, err)
	sp := tempfile.NewSpooled(500, tempfile.Options{}) // rolls midway: offsets reach 749
	var wg sync.WaitGroup
	paths := make([][]string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				f, err := s.File("")
				if err != nil {
					t.Error(err)
					return
				}
				f.Close()
				d, err := s.Mkdir("")
				if err != nil {
					t.Error(err)
					return
				}
				paths[g] = append(paths[g], f.Name(), d)
				// Each goroutine owns bytes [g*100, g*100+50) of the Spooled.
				if _, err := sp.WriteAt([]byte{byte('a' + g)}, int64(g*100+i)); err != nil {
					t.Error(err)
					return
				}
				sp.Rolled()
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, ps := range paths {
		for _, p := range ps {
			if seen[p] {
				t.Fatalf("%s made twice", p)
			}
			seen[p] = true
			if _, err := os.Stat(p); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(seen) != 8*50*2 {
		t.Fatalf("%d entries, want %d", len(seen), 8*50*2)
	}
	if !sp.Rolled() {
		t.Fatal("writes up to offset 749 did not roll a Spooled limited to 500 bytes")
	}
	mustDo(t, s.Cleanup())
	buf := make([]byte, 750)
	if _, err := sp.ReadAt(buf, 0); err != nil {
		t.Fatal(err)
	}
	for g := range 8 {
		if want := bytes.Repeat([]byte{byte('a' + g)}, 50); !bytes.Equal(buf[g*100:g*100+50], want) {
			t.Fatalf("goroutine %d's bytes: %q", g, buf[g*100:g*100+50])
		}
	}
	mustDo(t, sp.Close())
}
