package mgtemp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/magefile/mage/mg"

	"github.com/magekit/temp/tempfile"
)

// Tmp gives the shell temporary names, files and directories, runs
// commands in a scope, and looks after the scopes of mgtemp: `mage
// tmp:name`, `tmp:file`, `tmp:dir`, `tmp:run`, `tmp:list`, `tmp:clean`
// (or `<alias>:tmp:…` when the package is imported with
// `//mage:import <alias>`).
type Tmp mg.Namespace

// tmpTarget is the name under which the user ran a Tmp target, alias
// included ("tmp:name", "t:tmp:name"), for messages.
func tmpTarget(name string) string { return withAlias(name, "mgtemp.Tmp", os.Args[1:]) }

// flagError is a bad flag value: one line that names the target and the
// flag and quotes the value, so a value with a line break or a control
// character cannot break it. It matches fs.ErrInvalid.
type flagError struct {
	target, flag, value, reason string
}

func (e *flagError) Error() string {
	return fmt.Sprintf("%s: bad -%s %q: %s", e.target, e.flag, e.value, e.reason)
}

func (e *flagError) Is(target error) bool { return target == fs.ErrInvalid }

// suffixOf reads the optional -suffix. The targets promise one line on
// stdout, so a suffix with a line break is refused like one with a path
// separator or NUL.
func suffixOf(target string, suffix *string) (string, error) {
	if suffix == nil {
		return "", nil
	}
	s := *suffix
	bad := func(reason string) (string, error) {
		return "", &flagError{target: target, flag: "suffix", value: s, reason: reason}
	}
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\n' || s[i] == '\r':
			return bad("a line break is not allowed in a file name here")
		case s[i] == 0:
			return bad("NUL is not allowed in a file name")
		case os.IsPathSeparator(s[i]):
			return bad("a path separator is not allowed: the name must stay in the temp directory")
		}
	}
	return s, nil
}

// targetError makes err, met by target, one line that names the target
// and no function of this module: a *fs.PathError reads
// "tmp:file: <path>: <reason>" (its Op, "createtemp" say, means nothing
// to the user) and still unwraps to the *fs.PathError.
func targetError(target string, err error) error {
	if err == nil {
		return nil
	}
	err = explainDir(err)
	return &targetErr{target: target, err: err}
}

type targetErr struct {
	target string
	err    error
}

func (e *targetErr) Unwrap() error { return e.err }

func (e *targetErr) Error() string { return e.target + ": " + oneLine(message(e.err)) }

// message is err's text on one line: a list of errors (errors.Join,
// *multierror.Error, as Sweep returns) joined with "; ", and a
// *fs.PathError without its Op.
func message(err error) string {
	var list []error
	switch l := err.(type) {
	case *noDirError:
		return message(l.err) + " (" + l.why() + ")"
	case interface{ WrappedErrors() []error }: // *multierror.Error
		list = l.WrappedErrors()
	case interface{ Unwrap() []error }:
		list = l.Unwrap()
	}
	if list != nil {
		msgs := make([]string, 0, len(list))
		for _, e := range list {
			if e != nil {
				msgs = append(msgs, message(e))
			}
		}
		return strings.Join(msgs, "; ")
	}
	msg := err.Error()
	if pe, ok := err.(*fs.PathError); ok && pe.Err != nil {
		if rest, ok := strings.CutPrefix(msg, pe.Op+" "+pe.Path+": "); ok {
			msg = oneLine(pe.Path) + ": " + rest
		}
	}
	return msg
}

// oneLine quotes s if it holds a line break, so an error stays one line.
func oneLine(s string) string {
	if strings.ContainsAny(s, "\n\r") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// Name prints a fresh temporary file name and creates nothing (racy by
// nature: create the file with O_EXCL, or let this namespace's file
// target create it).
func (Tmp) Name(suffix *string) error { return printMade("tmp:name", suffix, tempfile.Mktemp) }

// File creates a new empty temporary file (0600) that stays, and prints its path.
func (Tmp) File(suffix *string) error {
	return printMade("tmp:file", suffix, func(sfx string) (string, error) {
		f, err := tempfile.CreateTemp(tempfile.Options{Suffix: sfx})
		if err != nil {
			return "", err
		}
		return f.Name(), f.Close()
	})
}

// Dir creates a new temporary directory (0700) that stays, and prints its path.
func (Tmp) Dir(suffix *string) error {
	return printMade("tmp:dir", suffix, func(sfx string) (string, error) {
		return tempfile.MkdirTemp(tempfile.Options{Suffix: sfx})
	})
}

// printMade runs make with the checked suffix and prints the path it
// returns; on any error it prints nothing.
func printMade(name string, suffix *string, make func(sfx string) (string, error)) error {
	target := tmpTarget(name)
	logDir()
	sfx, err := suffixOf(target, suffix)
	if err != nil {
		return err
	}
	p, err := make(sfx)
	if err != nil {
		if errors.Is(err, fs.ErrInvalid) { // too long, say: still the flag's fault
			var pe *fs.PathError
			reason := err.Error()
			if errors.As(err, &pe) {
				reason = pe.Err.Error()
			}
			return &flagError{target: target, flag: "suffix", value: sfx, reason: strings.TrimPrefix(reason, "invalid argument: ")}
		}
		return targetError(target, err)
	}
	_, err = fmt.Println(p)
	return err
}

// listRow is one scope as tmp:list shows it; its JSON form is what
// `tmp:list -json` prints.
type listRow struct {
	Label   string    `json:"label"`
	PID     int       `json:"pid"`
	State   string    `json:"state"` // live, stale, kept or orphan
	Created time.Time `json:"created"`
	Size    int64     `json:"size"` // bytes in its regular files
	Path    string    `json:"path"`
}

// stateOf is a scope's state as tmp:list shows it.
func stateOf(s tempfile.ScopeInfo) string {
	switch {
	case s.Orphan:
		return "orphan"
	case s.Kept:
		return "kept"
	case s.Live:
		return "live"
	}
	return "stale"
}

// List shows this user's scopes, sorted by target, then pid: target, pid,
// state (live, stale, kept, orphan), age, size and path; a label or path
// holding a control character or bytes that are not UTF-8 is shown
// quoted, so nothing in it reaches the terminal as is. With -json it
// prints the same rows as one JSON array of objects with the fields
// label, pid, state, created (RFC 3339), size (bytes) and path, for tools.
func (Tmp) List(json *bool) error {
	target := tmpTarget("tmp:list")
	logDir()
	list, err := tempfile.Scopes("")
	if err != nil {
		return targetError(target, err)
	}
	rows := make([]listRow, 0, len(list))
	for _, s := range list {
		rows = append(rows, listRow{s.Label, s.PID, stateOf(s), s.Created, s.Size, s.Path})
	}
	// Scopes sorts by name on disk; sort here by what the user reads.
	slices.SortStableFunc(rows, func(a, b listRow) int {
		if c := strings.Compare(a.Label, b.Label); c != 0 {
			return c
		}
		if a.PID != b.PID {
			return a.PID - b.PID
		}
		return strings.Compare(a.Path, b.Path)
	})
	if json != nil && *json {
		return printJSON(rows)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "TARGET\tPID\tSTATE\tAGE\tSIZE\tPATH")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\n", printable(r.Label), r.PID, r.State,
			age(time.Since(r.Created)), size(r.Size), printable(r.Path))
	}
	return w.Flush()
}

// printable returns s quoted (Go syntax) if it holds anything a
// terminal must not be sent as is, or that would break the table: a
// control character (a line break, a tab, ESC, the one-byte CSI U+009B)
// or a byte that is not UTF-8. A label is whatever a program gave
// NewScope, read back from its lock file, and an orphan's name is
// whatever its directory is called.
func printable(s string) string {
	if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

func printJSON(rows []listRow) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

// Clean removes the scopes whose process is gone, and prints each path
// removed. With -kept it also removes kept scopes (MGTEMP_KEEP, Keep)
// whose process is gone.
func (Tmp) Clean(kept *bool) error {
	target := tmpTarget("tmp:clean")
	logDir()
	removed, err := tempfile.Sweep("")
	for _, p := range removed {
		fmt.Println(p)
	}
	if kept != nil && *kept {
		removedKept, kerr := tempfile.SweepKept("")
		for _, p := range removedKept {
			fmt.Println(p)
		}
		err = errors.Join(err, kerr)
	}
	return targetError(target, err)
}

func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < time.Hour:
		return d.Round(time.Minute).String()
	}
	return d.Round(time.Hour).String()
}

func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f%ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
