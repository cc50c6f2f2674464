package mgtemp

import (
	"os"
	"regexp"
	"runtime"
	"strings"
	"unicode"
	"unicode/utf8"
)

// targetName names the mage target that called With or New, as mage
// prints it in `mage -l`: "build", "docker:push", "test:e2eCerts",
// "t:tmp:run" for a package imported with `//mage:import t`. It walks up the stack to the frame
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
			return withAlias(targetOf(last), last, os.Args[1:]) // the outermost frame below mage
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

// targetOf turns a function name into a mage target name, with mage's
// own spelling (see lowerFirstWord): "main.Build.func1" is "build",
// "example.com/x/pkg.Docker.Push" is "docker:push", "main.Test.E2ECerts"
// is "test:e2ECerts".
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
		kept = append(kept, lowerFirstWord(p))
	}
	if len(kept) == 0 {
		return "scope"
	}
	return strings.Join(kept, ":")
}

// The two patterns with which mage (v1.17, mage/main.go) lowers the first
// word of each part of a target's name for `mage -l`:
// (Aaaa)(Bbbb) -> aaaaBbbb, and (AAAA)(Bbbb) -> aaaaBbbb.
var (
	firstWordRx   = regexp.MustCompile(`^([[:upper:]][^[:upper:]]+)([[:upper:]].*)$`)
	firstAbbrevRx = regexp.MustCompile(`^([[:upper:]]+)([[:upper:]][^[:upper:]].*)$`)
)

// lowerFirstWord is mage's: "E2eCerts" is "e2eCerts", "HTTPServer" is
// "httpServer", "Build" and "BUILD" are "build".
func lowerFirstWord(s string) string {
	if m := firstWordRx.FindStringSubmatch(s); m != nil {
		return strings.ToLower(m[1]) + m[2]
	}
	if m := firstAbbrevRx.FindStringSubmatch(s); m != nil {
		return strings.ToLower(m[1]) + m[2]
	}
	return strings.ToLower(s)
}

// withAlias puts back the alias of a package imported with
// `//mage:import <alias>`, whose targets mage names <alias>:<target>. The
// alias is in no function name, only on the command line: if fn is not in
// the magefile's own package (main) and a target named on the command
// line (args, mage's flags skipped) is name under an alias, that is the
// target that runs. A target that runs only as another's dependency is
// named without its alias, and the alias is spelt as it was typed (mage
// matches targets in any case) with its first word lowered as mage does.
func withAlias(name, fn string, args []string) string {
	if strings.HasPrefix(fn, "main.") {
		return name
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			continue
		}
		alias, rest, ok := strings.Cut(a, ":")
		if ok && alias != "" && strings.EqualFold(rest, name) {
			return lowerFirstWord(alias) + ":" + name
		}
	}
	return name
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
