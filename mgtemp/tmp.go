package mgtemp

import (
	"fmt"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/magefile/mage/mg"

	"github.com/magekit/temp/tempfile"
)

// Tmp gives the shell temporary names, files and directories, and looks
// after the scopes of mgtemp: `mage tmp:name`, `tmp:file`, `tmp:dir`,
// `tmp:list`, `tmp:clean`.
type Tmp mg.Namespace

// suffixOf reads the optional -suffix. The targets promise one line on
// stdout, so a suffix with a line break is refused like one with a path
// separator.
func suffixOf(op string, suffix *string) (string, error) {
	if suffix == nil {
		return "", nil
	}
	if strings.ContainsAny(*suffix, "\n\r") {
		return "", &fs.PathError{Op: op, Path: *suffix, Err: fmt.Errorf("%w: suffix %q holds a line break", fs.ErrInvalid, *suffix)}
	}
	return *suffix, nil
}

// Name prints a fresh temporary file name and creates nothing (racy by
// nature: create it with O_EXCL, or use tmp:file).
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
func printMade(op string, suffix *string, make func(sfx string) (string, error)) error {
	sfx, err := suffixOf(op, suffix)
	if err != nil {
		return err
	}
	p, err := make(sfx)
	if err != nil {
		return err
	}
	_, err = fmt.Println(p)
	return err
}

// List shows this user's scopes: target, pid, live or stale, age, size.
func (Tmp) List() error {
	list, err := tempfile.Scopes("")
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "TARGET\tPID\tSTATE\tAGE\tSIZE\tPATH")
	for _, s := range list {
		state := "stale"
		switch {
		case s.Kept:
			state = "kept"
		case s.Live:
			state = "live"
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\n", s.Label, s.PID, state,
			age(time.Since(s.Created)), size(s.Size), s.Path)
	}
	return w.Flush()
}

// Clean removes the scopes whose process is gone and prints each path removed.
func (Tmp) Clean() error {
	removed, err := tempfile.Sweep("")
	for _, p := range removed {
		fmt.Println(p)
	}
	return err
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
