package mgtemp_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/magefile/mage/mg"

	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

// In a magefile, a target wraps its work in With; the scope is removed
// however the target ends.
func ExampleWith() {
	build := func(ctx context.Context) error {
		return mgtemp.With(ctx, func(ctx context.Context, tmp *tempfile.Scope) error {
			out, err := tmp.Name(".tar.gz")
			if err != nil {
				return err
			}
			fmt.Println(strings.HasSuffix(out, ".tar.gz"), filepath.Dir(out) == tmp.Path())
			return os.WriteFile(out, []byte("archive"), 0o600)
		})
	}
	if err := build(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output: true true
}

// New is for the defer style.
func ExampleNew() {
	s, err := mgtemp.New(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer s.Cleanup()
	f, _ := s.File(".log")
	defer f.Close()
	fmt.Println(filepath.Dir(f.Name()) == s.Path())
	// Output: true
}

// Code deep in a target finds With's scope in the context.
func ExampleFromContext() {
	scratch := func(ctx context.Context) (string, error) {
		s, ok := mgtemp.FromContext(ctx)
		if !ok {
			return "", fmt.Errorf("not inside mgtemp.With")
		}
		return s.Mkdir("")
	}
	mgtemp.With(context.Background(), func(ctx context.Context, _ *tempfile.Scope) error {
		d, err := scratch(ctx)
		fmt.Println(d != "", err)
		return err
	})
	// Output: true <nil>
}

// From the shell: `mage tmp:name -suffix=.json` prints a free name.
func ExampleTmp_Name() {
	suffix := ".json"
	mgtemp.Tmp{}.Name(&suffix)
}

// From the shell: `mage tmp:file` creates a file that stays and prints it.
func ExampleTmp_File() {
	mgtemp.Tmp{}.File(nil)
}

// From the shell: `mage tmp:dir` creates a directory that stays and prints it.
func ExampleTmp_Dir() {
	mgtemp.Tmp{}.Dir(nil)
}

// From the shell: `mage tmp:list` shows this user's scopes, and
// `mage tmp:list -json` the same rows as a JSON array for tools.
func ExampleTmp_List() {
	asJSON := true
	mgtemp.Tmp{}.List(&asJSON)
}

// From the shell: `mage tmp:clean` removes the scopes of dead processes,
// and `mage tmp:clean -kept` the kept ones too.
func ExampleTmp_Clean() {
	kept := true
	mgtemp.Tmp{}.Clean(&kept)
}

// From the shell: `mage tmp:run 'go test ./...'` runs the command with a
// fresh scope as its TMPDIR, TEMP and TMP: what the command and its
// children leave there is removed when it ends.
// The target ends with the command's status, which mage exits with.
func ExampleTmp_Run() {
	err := mgtemp.Tmp{}.Run(context.Background(), "exit 3")
	fmt.Println(mg.ExitStatus(err))
	// Output: 3
}
