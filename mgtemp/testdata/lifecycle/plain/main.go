// Command plain uses mgtemp outside mage: `plain wait` holds a scope
// until a signal ends it; `plain return` fills a scope whose Cleanup is
// slow, prints "cleaning" once that Cleanup has begun, and exits 0 as
// soon as With returns. With runs inside a closure of main.main, as in
// many programs (and as in mage's generated main, which this is not).
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

func main() {
	err := func() error { return with() }()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func with() error {
	return mgtemp.With(context.Background(), func(ctx context.Context, s *tempfile.Scope) error {
		fmt.Println("scope", s.Path())
		if len(os.Args) > 1 && os.Args[1] == "wait" {
			fmt.Println("ready")
			time.Sleep(time.Hour)
			return nil
		}
		sentinel, err := s.File(".sentinel")
		if err != nil {
			return err
		}
		sentinel.Close()
		bulk, err := s.Mkdir(".bulk")
		if err != nil {
			return err
		}
		for i := range 20000 {
			if err := os.WriteFile(filepath.Join(bulk, strconv.Itoa(i)), nil, 0o600); err != nil {
				return err
			}
		}
		go func() {
			for {
				if _, err := os.Lstat(sentinel.Name()); err != nil {
					fmt.Println("cleaning")
					return
				}
				time.Sleep(time.Millisecond)
			}
		}()
		return nil
	})
}
