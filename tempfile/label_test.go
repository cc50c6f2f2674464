package tempfile_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/magekit/temp/tempfile"
)

const labelEnv = "TEMPFILE_TEST_LABEL"

func init() {
	// hold-label: make a scope labelled $TEMPFILE_TEST_LABEL, print its
	// path, hold it until stdin closes; then keep it if asked to by
	// "keep" on stdin, and exit.
	helpers["hold-label"] = func() int {
		s, err := tempfile.NewScope(os.Getenv(labelEnv))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(s.Path())
		if in, _ := io.ReadAll(os.Stdin); string(in) == "keep\n" {
			s.Keep()
			if err := s.Cleanup(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		return 0
	}
}

// labels are scope labels as users give them: mage target names with a
// colon, and worse.
// A label may not hold a path separator (NewScope refuses one): where `\`
// is one (Windows), it is left out.
var labels = withoutSeparators([]string{
	"docker:push", "test:e2eCerts", `a;b\c*d?e"f<g>h|i`, "with space", "tab\there",
	"ctl\x01\x7f", "MiXeD.Case", "unicodé", "not utf-8 \xff", "con", "NUL.x", "plain",
})

// withoutSeparators drops from each label the bytes that are path
// separators here.
func withoutSeparators(ls []string) []string {
	for i, l := range ls {
		ls[i] = strings.Map(func(r rune) rune {
			if r < utf8.RuneSelf && os.IsPathSeparator(uint8(r)) {
				return -1
			}
			return r
		}, l)
	}
	return ls
}

// unsafeOnDisk are the characters a scope's name on disk must not hold:
// they break PATH-like lists or are illegal in Windows file names.
func unsafeOnDisk(r rune) bool {
	return r < 0x20 || r == 0x7f || strings.ContainsRune(` :;\*?"<>|`, r)
}

// TestScopeLabels (issue 10 item 5): whatever the label, the scope's name
// on disk holds no character that breaks a PATH-like list or that Windows
// refuses, keeps the label's case, and Scopes reports the label exactly
// as given: for this process's scopes, another process's live ones, dead
// ones and kept ones. An orphan, whose lock file is gone, reports the
// label as it is on disk.
func TestScopeLabels(t *testing.T) {
	tmp := privateTmp(t)
	want := map[string]string{} // path -> label
	for _, label := range labels {
		s, err := tempfile.NewScope(label)
		mustDo(t, err)
		defer s.Cleanup()
		want[s.Path()] = label
	}
	dead := 0
	for i, label := range labels {
		cmd, stdin, stdout := startChild(t, "hold-label", "TMPDIR="+tmp, labelEnv+"="+label)
		line, err := stdout.ReadString('\n')
		if err != nil {
			t.Fatalf("child gave no scope: %v", err)
		}
		want[strings.TrimSuffix(line, "\n")] = label
		switch i % 3 {
		case 0:
			mustDo(t, cmd.Process.Kill())
			cmd.Wait()
			dead++
		case 1: // alive: it holds its scope until the test ends
		case 2:
			io.WriteString(stdin, "keep\n")
			stdin.Close()
			mustDo(t, cmd.Wait())
		}
	}
	for path, label := range want {
		base := filepath.Base(path)
		if strings.ContainsFunc(base, unsafeOnDisk) {
			t.Errorf("label %q: name on disk %q holds an unsafe character", label, base)
		}
		for _, word := range []string{"e2eCerts", "MiXeD", "unicodé"} {
			if strings.Contains(label, word) && !strings.Contains(base, word) {
				t.Errorf("label %q: name on disk %q lost its case", label, base)
			}
		}
	}
	list, err := tempfile.Scopes(tmp)
	mustDo(t, err)
	got := map[string]string{}
	for _, s := range list {
		got[s.Path] = s.Label
	}
	for path, label := range want {
		if got[path] != label {
			t.Errorf("Scopes: %s labelled %q, want %q", path, got[path], label)
		}
	}
	if len(got) != len(want) {
		t.Errorf("Scopes listed %d scopes, want %d", len(got), len(want))
	}

	// An orphan: its label is what the disk says.
	removed, err := tempfile.Sweep(tmp)
	mustDo(t, err)
	if len(removed) != dead {
		t.Fatalf("Sweep removed %q, want %d dead scopes", removed, dead)
	}
	orphan := removed[0]
	mustDo(t, os.Mkdir(orphan, 0o700))
	list, err = tempfile.Scopes(tmp)
	mustDo(t, err)
	i := slices.IndexFunc(list, func(s tempfile.ScopeInfo) bool { return s.Path == orphan })
	if i < 0 || !list[i].Orphan {
		t.Fatalf("the orphan %s is not listed: %+v", orphan, list)
	}
	id := filepath.Base(orphan)
	onDisk := id[:strings.LastIndexByte(id[:strings.LastIndexByte(id, '.')], '.')]
	if list[i].Label != onDisk {
		t.Fatalf("the orphan's label is %q, want its name on disk's %q", list[i].Label, onDisk)
	}
}

// TestScopesSorted (issue 10 item 9): Scopes lists by name, whatever the
// order of the directory.
func TestScopesSorted(t *testing.T) {
	tmp := privateTmp(t)
	for i := range 30 {
		s, err := tempfile.NewScope("s" + strconv.Itoa(29-i))
		mustDo(t, err)
		defer s.Cleanup()
	}
	list, err := tempfile.Scopes(tmp)
	mustDo(t, err)
	if len(list) != 30 || !slices.IsSortedFunc(list, func(a, b tempfile.ScopeInfo) int {
		return strings.Compare(filepath.Base(a.Path), filepath.Base(b.Path))
	}) {
		var names []string
		for _, s := range list {
			names = append(names, filepath.Base(s.Path))
		}
		t.Fatalf("Scopes listed %q, not sorted by name", names)
	}
}
