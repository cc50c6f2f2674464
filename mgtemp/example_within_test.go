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

// A release target unpacks into scratch space on the output's file
// system, under build/mgtemp-<uid>/, so that moving the result into
// build/ is a rename on one device, never a copy; the scratch space goes
// when the target returns.
func ExampleWithIn() {
	out, err := os.MkdirTemp("", "build") // the build's output directory
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(out)
	release := func(ctx context.Context) error {
		return mgtemp.WithIn(ctx, out, func(ctx context.Context, tmp *tempfile.Scope) error {
			f, err := tmp.CreateTemp(tempfile.Options{Prefix: "app-", Suffix: ".tar"})
			if err != nil {
				return err
			}
			_, err = f.WriteString("unpacked and repacked")
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			fmt.Println(strings.HasPrefix(tmp.Path(), filepath.Join(out, "mgtemp-")))
			return os.Rename(f.Name(), filepath.Join(out, "app.tar"))
		})
	}
	if err := release(context.Background()); err != nil {
		log.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(out, "mgtemp-*", "*")) // the scope is gone
	_, err = os.Stat(filepath.Join(out, "app.tar"))
	fmt.Println(len(left), err)
	// Output:
	// true
	// 0 <nil>
}
