//go:build mage

package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// A measure is one figure of one benchmark: a unit that `go test -bench`
// prints ("ns/op", "allocs/op", or one the benchmark reports itself).
type measure struct{ bench, unit string }

func ns(b string) measure     { return measure{b, "ns/op"} }
func allocs(b string) measure { return measure{b, "allocs/op"} }
func perFile(b string) measure {
	return measure{b, "ns/file"}
}

// A goal is one row of the report: num, divided by den if den is set,
// held to limit by cmp. Rows with cmp ref are references, judged by
// nothing: what the kernel or the standard library charge for the same
// work, so that what the package adds can be told from it.
type goal struct {
	name     string
	num, den measure
	cmp      string // "<=", ">=" or ref
	limit    float64
}

const ref = "ref"

// goals is the whole report. Benchmark names leave out "Benchmark"; they
// live in ./tempfile (bench_test.go, bench_internal_test.go,
// remove_bench_test.go, name_internal_test.go) and ./mgtemp
// (bench_test.go). "least" is the least any API returning an *os.File can
// cost: raw syscalls on names made before the clock starts, plus
// os.NewFile and Close.
var goals = []goal{
	{"least for an *os.File / raw floor", ns("LeastOSFile"), ns("Floor"), ref, 0},
	{"CreateTemp+Close+os.Remove / least", ns("CreateTemp"), ns("LeastOSFile"), "<=", 1.05},
	{"  CreateTemp / raw floor", ns("CreateTemp"), ns("Floor"), ref, 0},
	{"os.CreateTemp / CreateTemp (how much faster)", ns("OSCreateTemp"), ns("CreateTemp"), ">=", 1.3},
	{"allocs per CreateTemp+Close+os.Remove", allocs("CreateTemp"), measure{}, "<=", 3},
	{"  exact average (name blocks counted)", measure{"CreateTemp", "mallocs/op"}, measure{}, ref, 0},
	{"  least for an *os.File (os.Remove: 1)", allocs("LeastOSFile"), measure{}, ref, 0},
	{"  os.CreateTemp", allocs("OSCreateTemp"), measure{}, ref, 0},
	{"TemporaryFile+Close / least unnamed", ns("TemporaryFile"), ns("LeastTmpfile"), "<=", 1.03},
	{"  least unnamed / raw O_TMPFILE open+close", ns("LeastTmpfile"), ns("RawTmpfile"), ref, 0},
	{"Scope.File x500 + Cleanup, per file / least", perFile("ScopeFiles"), perFile("LeastScopeFiles"), "<=", 1.08},
	{"  least / raw (500 creates, 500 unlinks)", perFile("LeastScopeFiles"), perFile("RawScopeFiles"), ref, 0},
	{"Cleanup of 100 dirs x 10 files / rm -rf", ns("ScopeCleanupTree"), ns("RmRfTree"), "<=", 0.90},
	{"CreateTemp, 2 goroutines / 1 (speed-up)", ns("CreateTempGoroutines/g=1"), ns("CreateTempGoroutines/g=2"), ">=", 1.5},
	{"  raw floor, 2 goroutines / 1", ns("FloorGoroutines/g=1"), ns("FloorGoroutines/g=2"), ref, 0},
	{"name generation", ns("MakeName"), measure{}, "<=", 100},
	{"name generation, allocs", allocs("MakeName"), measure{}, "<=", 0},
	{"With, 1,000 live foreign scopes / none", ns("With/scopes=1000"), ns("With/scopes=0"), "<=", 2},
	{"  With, no other scope", ns("With/scopes=0"), measure{}, ref, 0},
	{"deep read-only tree: remove / chmod -R u+w && rm -rf", ns("RemoveDeepReadOnly/lib"), ns("RemoveDeepReadOnly/chmod-rm"), "<=", 2},
	{"wide read-only tree: remove / chmod -R u+w && rm -rf", ns("RemoveWideReadOnly/lib"), ns("RemoveWideReadOnly/chmod-rm"), "<=", 2},
}

// benchPackages hold the benchmarks the goals name.
var benchPackages = []string{"./tempfile", "./mgtemp"}

// Bench runs the benchmarks the goals name and prints one table: each
// ratio is the median over rounds of num/den, both from the same round.
// Every benchmark runs in a process of its own, as
// `go test -run=^$ -bench=^Name$ -benchmem -count=1 -short` would run it
// (from a test binary built once); the benchmarks put their files on
// /dev/shm themselves. Within a round the benchmarks that a ratio joins
// run back to back, each round starting with a different one and going
// the other way every other round, so that none always runs first or in
// the wake of the same other. BENCH_ROUNDS (default 7) and BENCH_TIME
// (-benchtime, default 200ms) set the size. A benchmark that does not
// exist (yet) shows as "missing". A report, not a test.
func Bench() error {
	rounds, err := strconv.Atoi(envOr("BENCH_ROUNDS", "7"))
	if err != nil || rounds < 1 {
		return fmt.Errorf("BENCH_ROUNDS=%q: want a count", os.Getenv("BENCH_ROUNDS"))
	}
	benchtime := envOr("BENCH_TIME", "200ms")
	r, err := newRunner(benchtime, rounds)
	if err != nil {
		return err
	}
	defer os.RemoveAll(r.tmp)

	fmt.Printf("%s/%s, %d CPUs, %s%s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), loadAverage())
	fmt.Printf("median (and range) over %d rounds of -benchtime=%s; a ratio's two benchmarks run back to back in each round\n", rounds, benchtime)
	groups := benchGroups(goals)
	for round := range rounds {
		fmt.Fprintf(os.Stderr, "round %d/%d\n", round+1, rounds)
		for _, g := range groups {
			for _, i := range rotation(len(g), round) {
				r.run(g[i], round)
			}
		}
	}

	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "MEASURE\tMEDIAN\tRANGE\tGOAL\tRESULT")
	for _, g := range goals {
		vs, why := r.values(g)
		if why != "" {
			fmt.Fprintf(w, "%s\t-\t-\t%s\t%s\n", g.name, goalText(g), why)
			continue
		}
		slices.Sort(vs)
		med := round2(median(vs))
		res := "(reference)"
		switch {
		case g.cmp == "<=" && med <= g.limit, g.cmp == ">=" && med >= g.limit:
			res = "pass"
		case g.cmp != ref:
			res = "FAIL"
		}
		lo, hi := format(g, vs[0]), format(g, vs[len(vs)-1])
		if _, unit, ok := strings.Cut(hi, " "); ok {
			lo = strings.TrimSuffix(lo, " "+unit) // "1.2–3.4 µs"
		}
		fmt.Fprintf(w, "%s\t%s\t%s–%s\t%s\t%s\n", g.name, format(g, med), lo, hi, goalText(g), res)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if len(r.failed) > 0 {
		for name, out := range r.failed {
			fmt.Fprintf(os.Stderr, "Benchmark%s failed:\n%s\n", name, out)
		}
		return fmt.Errorf("%d benchmarks failed", len(r.failed))
	}
	return nil
}

// runner runs single benchmarks from test binaries built once.
type runner struct {
	tmp, benchtime string
	rounds         int
	bins           map[string][2]string            // top-level benchmark -> binary, package dir
	results        map[string][]map[string]float64 // benchmark -> per round: unit -> value
	failed         map[string]string               // benchmark -> its output
}

func newRunner(benchtime string, rounds int) (*runner, error) {
	tmp, err := os.MkdirTemp("", "mgtemp-bench")
	if err != nil {
		return nil, err
	}
	r := &runner{tmp: tmp, benchtime: benchtime, rounds: rounds, bins: map[string][2]string{},
		results: map[string][]map[string]float64{}, failed: map[string]string{}}
	for _, pkg := range benchPackages {
		bin := filepath.Join(tmp, filepath.Base(pkg)+".test")
		if out, err := exec.Command("go", "test", "-c", "-o", bin, pkg).CombinedOutput(); err != nil {
			os.RemoveAll(tmp)
			return nil, fmt.Errorf("go test -c %s: %v\n%s", pkg, err, out)
		}
		dir, err := filepath.Abs(pkg)
		if err != nil {
			return nil, err
		}
		list := exec.Command(bin, "-test.list=^Benchmark")
		list.Dir = dir
		out, err := list.Output()
		if err != nil {
			os.RemoveAll(tmp)
			return nil, fmt.Errorf("%s -test.list: %v", pkg, err)
		}
		for _, name := range strings.Fields(string(out)) {
			r.bins[strings.TrimPrefix(name, "Benchmark")] = [2]string{bin, dir}
		}
	}
	return r, nil
}

// run runs one benchmark ("CreateTemp", "With/scopes=0") once and keeps
// what it printed as the figures of the round.
func (r *runner) run(name string, round int) {
	top, _, _ := strings.Cut(name, "/")
	bin, ok := r.bins[top]
	if _, failed := r.failed[name]; !ok || failed {
		return // missing, or failed before
	}
	parts := strings.Split("Benchmark"+name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	cmd := exec.Command(bin[0], "-test.run=^$", "-test.bench="+strings.Join(parts, "/"),
		"-test.benchmem", "-test.count=1", "-test.short", "-test.benchtime="+r.benchtime)
	cmd.Dir = bin[1]
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.failed[name] = string(out)
		return
	}
	if r.results[name] == nil {
		r.results[name] = make([]map[string]float64, r.rounds)
	}
	r.results[name][round] = parseBench(out, "Benchmark"+name)
}

// parseBench finds the result line of want in go test's output:
// "BenchmarkX-2  1000  1234 ns/op  3 allocs/op", the name with or
// without the -GOMAXPROCS suffix.
func parseBench(out []byte, want string) map[string]float64 {
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || (f[0] != want && !isProcsSuffix(f[0], want)) {
			continue
		}
		m := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				m[f[i+1]] = v
			}
		}
		return m
	}
	return nil
}

func isProcsSuffix(name, want string) bool {
	rest, ok := strings.CutPrefix(name, want+"-")
	_, err := strconv.Atoi(rest)
	return ok && err == nil
}

// values returns a goal's figure in each round, or why there is none: a
// benchmark that failed ("error"), or that does not exist or printed no
// such figure ("missing").
func (r *runner) values(g goal) ([]float64, string) {
	ms := []measure{g.num}
	if g.den.bench != "" {
		ms = append(ms, g.den)
	}
	var vs []float64
	for i := range r.rounds {
		var x [2]float64
		for j, m := range ms {
			if _, failed := r.failed[m.bench]; failed {
				return nil, "error"
			}
			res := r.results[m.bench] // nil for a benchmark that does not exist
			if i >= len(res) {
				return nil, "missing"
			}
			v, ok := res[i][m.unit]
			if !ok {
				return nil, "missing"
			}
			x[j] = v
		}
		if len(ms) == 2 {
			x[0] /= x[1]
		}
		vs = append(vs, x[0])
	}
	return vs, ""
}

// benchGroups joins the benchmarks a ratio compares, and what those are
// compared with in turn: each group runs back to back in a round. Groups
// and their members come in the order the goals name them.
func benchGroups(goals []goal) [][]string {
	group := map[string]int{}
	var groups [][]string
	add := func(b string, to int) int {
		if g, ok := group[b]; ok {
			return g
		}
		if to < 0 {
			to = len(groups)
			groups = append(groups, nil)
		}
		group[b] = to
		groups[to] = append(groups[to], b)
		return to
	}
	for _, g := range goals {
		gi := add(g.num.bench, -1)
		if g.den.bench == "" {
			continue
		}
		if gj, ok := group[g.den.bench]; ok && gj != gi { // merge gj into gi
			for _, b := range groups[gj] {
				group[b] = gi
			}
			groups[gi] = append(groups[gi], groups[gj]...)
			groups[gj] = nil
		} else {
			add(g.den.bench, gi)
		}
	}
	return slices.DeleteFunc(groups, func(g []string) bool { return g == nil })
}

// rotation is the order of n variants in a round. Rounds go forwards and
// backwards through them in turn, and each pair of rounds starts one
// further along, so that every variant runs first as often as any other
// and follows each of its two neighbours equally often.
func rotation(n, round int) []int {
	order := make([]int, n)
	for j := range n {
		k := j
		if round&1 != 0 {
			k = n - 1 - j
		}
		order[j] = (k + round/2) % n
	}
	return order
}

func goalText(g goal) string {
	if g.cmp == ref {
		return "-"
	}
	return g.cmp + " " + format(g, g.limit)
}

// format prints a ratio with two decimals, an absolute time in a fitting
// unit, and a count as it is.
func format(g goal, v float64) string {
	switch {
	case g.den.bench != "":
		return strconv.FormatFloat(v, 'f', 2, 64)
	case strings.HasPrefix(g.num.unit, "ns/"):
		switch {
		case v >= 1e6:
			return strconv.FormatFloat(v/1e6, 'f', 2, 64) + " ms"
		case v >= 1e4:
			return strconv.FormatFloat(v/1e3, 'f', 1, 64) + " µs"
		}
		return strconv.FormatFloat(v, 'f', 1, 64) + " ns"
	}
	return strconv.FormatFloat(round2(v), 'f', -1, 64)
}

// median of sorted vs.
func median(vs []float64) float64 {
	if n := len(vs); n%2 == 0 {
		return (vs[n/2-1] + vs[n/2]) / 2
	}
	return vs[len(vs)/2]
}

// round2 rounds a figure as it is printed, so that it is judged as printed.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// loadAverage is "; load average 1.2 0.9 0.5" where Linux says, or "".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return "; load average " + strings.Join(f[:3], " ")
	}
	return ""
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
