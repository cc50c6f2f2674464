package mgtemp

import (
	"bytes"
	"os"
	"runtime"
	"sync"
)

// underMage reports whether this process is a mage binary running its
// targets. Only then does mgtemp watch for Ctrl-C: mage has a SIGINT
// handler of its own for the whole run, so one more changes nothing,
// while in any other program it would take Ctrl-C's default action (the
// program ending) away.
//
// Mage's generated main sets MAGEFILE_VERBOSE before it runs a target,
// and while a target runs, its goroutine 1 waits in a closure of
// main.main (mage's runTarget). The goroutine that called With proves
// nothing — a target may call With in a goroutine of its own — so the
// check reads goroutine 1's stack: once per process, as the answer does
// not change.
var underMage = sync.OnceValue(func() bool {
	if _, ok := os.LookupEnv("MAGEFILE_VERBOSE"); !ok {
		return false
	}
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	return mainInMage(buf)
})

// mainInMage reports whether goroutine 1 in the all-goroutine trace
// stack runs in a closure of main.main, as mage's runTarget does, and
// that main.main is mage's generated one, in mage_output_file.go (its
// name for `mage`, `go tool mage` and `mage -compile` alike). A closure of
// main.main alone proves nothing: many programs run their work in one,
// and a program that a mage target starts inherits MAGEFILE_VERBOSE,
// which mage sets in its own environment.
func mainInMage(stack []byte) bool {
	for _, g := range bytes.Split(stack, []byte("\n\n")) {
		if !bytes.HasPrefix(g, []byte("goroutine 1 [")) {
			continue
		}
		closure := bytes.Index(g, []byte("\nmain.main.func"))
		main := bytes.Index(g, []byte("\nmain.main()"))
		if closure < 0 || main < closure {
			return false
		}
		// The frame's next line is its file and line:
		// "\t/dir/mage_output_file.go:400 +0x2" (C:\dir\... on Windows).
		_, file, _ := bytes.Cut(g[main+1:], []byte("\n"))
		file, _, _ = bytes.Cut(file, []byte("\n"))
		i := bytes.Index(file, []byte(mageMainFile+":"))
		return i > 0 && (file[i-1] == '/' || file[i-1] == '\\' || file[i-1] == '\t') // '\t': a bare name (-trimpath)
	}
	return false
}

// mageMainFile is the file mage generates main.main in.
const mageMainFile = "mage_output_file.go"
