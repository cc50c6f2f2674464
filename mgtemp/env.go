package mgtemp

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/magefile/mage/mg"

	"github.com/magekit/temp/tempfile"
)

// keepAll reports whether MGTEMP_KEEP asks to keep every scope. The value
// is read like strconv.ParseBool, plus on/off, yes/no and y/n, in any
// case and with spaces trimmed, so "FALSE", "off", "No" and " 0" all mean
// no. Anything else also means no — a typo must not quietly keep every
// scope, which no sweep ever removes — and is reported once on stderr.
func keepAll() bool {
	v, ok := parseKeep(os.Getenv("MGTEMP_KEEP"))
	if !ok {
		keepWarning.Do(func() {
			fmt.Fprintf(os.Stderr, "mgtemp: ignoring MGTEMP_KEEP=%q: not a boolean (1/0, true/false, yes/no, on/off)\n", os.Getenv("MGTEMP_KEEP"))
		})
	}
	return v
}

var keepWarning sync.Once

// parseKeep parses a MGTEMP_KEEP value; ok is false for a value that is
// neither empty nor a boolean, which then means no.
func parseKeep(s string) (keep, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "":
		return false, true
	case "on", "yes", "y":
		return true, true
	case "off", "no", "n":
		return false, true
	}
	b, err := strconv.ParseBool(s)
	return b, err == nil
}

// logf logs to stderr under mage -v. The first line it logs in a process
// is preceded by where temporary files go (see logDirChoice).
func logf(format string, args ...any) {
	if mg.Verbose() {
		logDir()
		fmt.Fprintf(os.Stderr, "mgtemp: "+format+"\n", args...)
	}
}

var dirLogged sync.Once

// logDir logs, under -v and once per process, the temporary directory in
// use and why each candidate before it was skipped.
func logDir() {
	if mg.Verbose() {
		dirLogged.Do(logDirChoice)
	}
}

// logDirChoice says, under -v, which temporary directory the process uses
// and why each candidate before it was passed over: an unusable TMPDIR is
// not an error (Python's tempfile falls back too), but a user who set it
// wants to know it was ignored.
func logDirChoice() {
	dir, skipped, ok := tempfile.DirChoice()
	for _, err := range skipped {
		fmt.Fprintf(os.Stderr, "mgtemp: skipped temp directory %v\n", err)
	}
	if ok {
		fmt.Fprintf(os.Stderr, "mgtemp: temp directory %s\n", dir)
	} else {
		fmt.Fprintf(os.Stderr, "mgtemp: no usable temp directory; trying %s\n", dir)
	}
}

// explainDir adds to err, when no candidate temporary directory was
// usable, why each one was rejected: the error alone names only the
// directory that was tried last.
func explainDir(err error) error {
	if err == nil {
		return nil
	}
	_, skipped, ok := tempfile.DirChoice()
	if ok || len(skipped) == 0 {
		return err
	}
	reasons := make([]string, len(skipped))
	for i, e := range skipped {
		reasons[i] = e.Error()
	}
	return &noDirError{err: err, reasons: strings.Join(reasons, "; ")}
}

// noDirError is an error met when no temporary directory is usable; it
// unwraps to the original error, so errors.Is and errors.As still see
// the *fs.PathError.
type noDirError struct {
	err     error
	reasons string
}

func (e *noDirError) Error() string { return e.err.Error() + " (" + e.why() + ")" }
func (e *noDirError) why() string   { return "no usable temp directory: " + e.reasons }
func (e *noDirError) Unwrap() error { return e.err }
