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

	"go.uber.org/goleak"

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

func init() {
	// no-leaks: run CYCLES of TestNoLeaks's cycles.
	helpers["no-leaks"] = func() int {
		n, _ := strconv.Atoi(os.Getenv("CYCLES"))
		if err := noLeaks(n); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	}
}

// TestNoLeaks runs create/cleanup cycles of every kind and counts the
// descriptors and goroutines before and after. The cycles run in a child:
// the go command records every file a test process opens or stats, and
// before it trusts a cached result it checks each again (for 10,000
// cycles, 100,000 entries: seconds on every cached `go test ./...`).
func TestNoLeaks(t *testing.T) {
	tmp := fastTmp(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(cleanEnv(), helperEnv+"=no-leaks", "TMPDIR="+tmp, "CYCLES="+strconv.Itoa(rounds(100_000)))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cycles: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// noLeaks runs n cycles of scope, named, spooled and unnamed files in
// Dir(), and fails if a descriptor or a goroutine is left over.
func noLeaks(n int) error {
	before, err := fdCount()
	if err != nil {
		return err
	}
	for i := range n {
		if err := noLeaksCycle(i); err != nil {
			return fmt.Errorf("cycle %d: %w", i, err)
		}
	}
	if err := goleak.Find(); err != nil {
		return err
	}
	after, err := fdCount()
	if err != nil {
		return err
	}
	if after != before {
		return fmt.Errorf("%d descriptors open before %d cycles, %d after", before, n, after)
	}
	if before == 0 {
		fmt.Println("this system counts no open handles (Wine): only goroutines were checked")
	}
	fmt.Printf("%d cycles of scope, named, spooled and unnamed files: descriptors %d before and after, no goroutine left\n", n, before)
	return nil
}

func noLeaksCycle(i int) error {
	s, err := tempfile.NewScope("leak")
	if err != nil {
		return err
	}
	f, err := s.File("")
	if err != nil {
		return err
	}
	f.Close()
	if err := s.Cleanup(); err != nil {
		return err
	}
	nf, err := tempfile.NewFile(tempfile.Options{})
	if err != nil {
		return err
	}
	if err := nf.Close(); err != nil {
		return err
	}
	sp := tempfile.NewSpooled(4, tempfile.Options{})
	sp.Write([]byte("rolls"))
	if err := sp.Close(); err != nil {
		return err
	}
	tf, err := tempfile.TemporaryFile("")
	if err != nil {
		return err
	}
	tf.Close()
	if i%1000 == 0 {
		if _, err := tempfile.Sweep(""); err != nil {
			return err
		}
	}
	return nil
}
