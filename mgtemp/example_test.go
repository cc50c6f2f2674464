package mgtemp_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

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

// From the shell: `mage tmp:list` shows this user's scopes.
func ExampleTmp_List() {
	mgtemp.Tmp{}.List()
}

// From the shell: `mage tmp:clean` removes the scopes of dead processes.
func ExampleTmp_Clean() {
	mgtemp.Tmp{}.Clean()
}
