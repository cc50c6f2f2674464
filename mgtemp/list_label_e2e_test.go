//go:build linux

package mgtemp_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/magekit/temp/tempfile"
)

// TestListLabelPrintable: a scope's label is whatever the program gave
// NewScope, and Scopes reads it back from the lock file: a line break, a
// tab, an escape sequence (ESC or the one-byte CSI, U+009B) or bytes
// that are not UTF-8 must not reach the terminal through tmp:list, nor
// break its one-row-per-scope table. Such a label is shown quoted.
func TestListLabelPrintable(t *testing.T) {
	tmp := privateTmp(t)
	labels := []string{"a\nb\x1b[31mred", "tab\there", "csi\u009b2J", "bad\xffutf8"}
	for _, l := range labels {
		s, err := tempfile.NewScopeIn(tmp, l)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Cleanup()
	}
	list := start(t, tmp, nil, "tmp:list")
	var rows []string
	for l := range list.lines {
		rows = append(rows, l)
	}
	exitCode(t, list.wait(), 0)
	out := strings.Join(rows, "\n")
	if len(rows) != 1+len(labels) {
		t.Fatalf("tmp:list printed %d lines, want a header and %d rows:\n%q", len(rows), len(labels), out)
	}
	for _, r := range out {
		if r != '\n' && (r == utf8.RuneError || !unicode.IsPrint(r)) {
			t.Fatalf("tmp:list printed %U:\n%q", r, out)
		}
	}
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row, `"`) || !strings.Contains(row, " live ") {
			t.Errorf("row %q: want a quoted label, live", row)
		}
	}
}
