package mgtemp

import (
	"runtime"
	"strings"
	"unicode"
	"unicode/utf8"
)

// targetName names the mage target that called With or New, as mage
// spells it: "build", "docker:push". It walks up the stack to the frame
// just below mage's own code (the generated main, or mg's dependency
// runner), so a helper function called by the target does not count.
// Outside mage it names the caller of With or New.
func targetName() string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(3, pcs) // skip Callers, targetName, With/New
	frames := runtime.CallersFrames(pcs[:n])
	first, last := "", ""
	for {
		f, more := frames.Next()
		if isMage(f.Function) {
			return targetOf(last) // the outermost frame below mage
		}
		if !isPlumbing(f.Function) {
			last = f.Function
			if first == "" {
				first = f.Function
			}
		}
		if !more {
			break
		}
	}
	return targetOf(first) // not under mage: the direct caller
}

func isMage(fn string) bool {
	return fn == "main.main" || strings.HasPrefix(fn, "main.main.") || strings.HasPrefix(fn, "github.com/magefile/mage/")
}

// isPlumbing: frames of the runtime and of reflect (mg.Deps calls targets
// through reflect) are never a target.
func isPlumbing(fn string) bool {
	return strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "reflect.")
}

// targetOf turns a function name into a mage target name:
// "main.Build.func1" is "build", "example.com/x/pkg.Docker.Push" is
// "docker:push".
func targetOf(fn string) string {
	if fn == "" {
		return "scope"
	}
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.IndexByte(fn, '['); i >= 0 { // generic instantiation
		fn = fn[:i]
	}
	parts := strings.Split(fn, ".")[1:] // drop the package
	var kept []string
	for _, p := range parts {
		p = strings.Trim(p, "()*")
		if p == "" || strings.HasPrefix(p, "func") || strings.HasPrefix(p, "gowrap") || unicode.IsDigit(firstRune(p)) {
			continue // closures and their numbering
		}
		kept = append(kept, strings.ToLower(p))
	}
	if len(kept) == 0 {
		return "scope"
	}
	return strings.Join(kept, ":")
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
