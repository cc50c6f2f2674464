package tempfile_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/magekit/temp/tempfile"
)

func init() {
	// names: print NAMES names from 8 goroutines, all with the prefix "x."
	// so that only the digits tell processes apart.
	helpers["names"] = func() int {
		n, _ := strconv.Atoi(os.Getenv("NAMES"))
		if err := tempfile.SetPrefix("x."); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		w := bufio.NewWriter(os.Stdout)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range n / 8 {
					name, err := tempfile.Mktemp("")
					if err != nil {
						fmt.Fprintln(os.Stderr, err)
						os.Exit(1)
					}
					mu.Lock()
					w.WriteString(name)
					w.WriteByte('\n')
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if err := w.Flush(); err != nil {
			return 1
		}
		return 0
	}
}

// TestNamesAcrossProcesses: 8 goroutines in each of 4 processes, all with
// the same prefix in one directory: no name comes twice.
func TestNamesAcrossProcesses(t *testing.T) {
	tmp := fastTmp(t)
	total := rounds(1_000_000)
	outs := make([]string, 4)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range 4 {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(cleanEnv(), helperEnv+"=names", "TMPDIR="+tmp, "NAMES="+strconv.Itoa(total/4))
			var out strings.Builder
			cmd.Stdout = &out
			cmd.Stderr = os.Stderr
			errs[i] = cmd.Run()
			outs[i] = out.String()
		})
	}
	wg.Wait()
	seen := make(map[string]struct{}, total)
	for i := range 4 {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		for _, n := range strings.Split(strings.TrimSuffix(outs[i], "\n"), "\n") {
			if filepath.Dir(n) != tmp || !strings.HasPrefix(filepath.Base(n), "x.") {
				t.Fatalf("name %q not x.<digits> in %s", n, tmp)
			}
			if _, dup := seen[n]; dup {
				t.Fatalf("name %q came twice", n)
			}
			seen[n] = struct{}{}
		}
	}
	if len(seen) != total/4/8*8*4 {
		t.Fatalf("%d names, want %d", len(seen), total/4/8*8*4)
	}
	t.Logf("%d names from 4 processes x 8 goroutines, one prefix, one directory: 0 collisions", len(seen))
}

// TestNoLeaks runs create/cleanup cycles of every kind and counts the
// descriptors before and after (goroutines: TestMain's goleak).
func TestNoLeaks(t *testing.T) {
	fastTmp(t)
	n := rounds(100_000)
	before := openFDs(t)
	for i := range n {
		s, err := tempfile.NewScope("leak")
		mustDo(t, err)
		f, err := s.File("")
		mustDo(t, err)
		f.Close()
		mustDo(t, s.Cleanup())
		nf, err := tempfile.NewFile(tempfile.Options{})
		mustDo(t, err)
		mustDo(t, nf.Close())
		sp := tempfile.NewSpooled(4, tempfile.Options{})
		sp.Write([]byte("rolls"))
		mustDo(t, sp.Close())
		tf, err := tempfile.TemporaryFile("")
		mustDo(t, err)
		tf.Close()
		if i%1000 == 0 {
			if _, err := tempfile.Sweep(""); err != nil {
				t.Fatal(err)
			}
		}
	}
	if after := openFDs(t); after != before {
		t.Fatalf("%d descriptors open before %d cycles, %d after", before, n, after)
	}
	t.Logf("%d cycles of scope, named, spooled and unnamed files: descriptors %d before and after", n, before)
}
