package mgtemp_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

// A target (or program) that shuts down gracefully on SIGTERM, and is
// forced out by a second one, handles SIGTERM itself: LeaveSignals keeps
// mgtemp from taking it, so the shutdown sees each signal once and can
// still use its scope, which goes when With returns.
func ExampleLeaveSignals() {
	mgtemp.LeaveSignals(syscall.SIGTERM)
	term := make(chan os.Signal, 2)
	signal.Notify(term, syscall.SIGTERM)
	defer signal.Stop(term)

	serve := func(ctx context.Context) error {
		return mgtemp.With(ctx, func(ctx context.Context, tmp *tempfile.Scope) error {
			state, err := tmp.File(".state")
			if err != nil {
				return err
			}
			defer state.Close()
			select {
			case <-term: // first SIGTERM: flush the state, still in the scope
			case <-ctx.Done():
			}
			_, err = state.WriteString("flushed\n")
			return err
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // here: stop at once
	if err := serve(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("shut down")
	// Output: shut down
}
