package mgtemp

import "testing"

// TestTargetOfMageSpelling: labels are the names `mage -l` prints, with
// mage's own first-word lowering per part (they were lower-cased whole:
// "test:e2ecerts" where mage prints "test:e2eCerts").
func TestTargetOfMageSpelling(t *testing.T) {
	for _, c := range []struct{ fn, want string }{
		{"main.Test.E2eCerts", "test:e2eCerts"},
		{"main.Test.E2ECerts.func1", "test:e2ECerts"},
		{"main.BuildAll", "buildAll"},
		{"main.HTTPServer", "httpServer"},
		{"main.BUILD", "build"},
		{"main.Tools.Install", "tools:install"},
		{"example.com/x/pkg.DockerHub.PushAll", "dockerHub:pushAll"},
	} {
		if got := targetOf(c.fn); got != c.want {
			t.Errorf("targetOf(%q) = %q, want %q", c.fn, got, c.want)
		}
	}
}

// TestWithAlias: a target of a package imported with `//mage:import t`
// is t:tmp:run, found on the command line; the magefile's own targets and
// a target not named there keep their names.
func TestWithAlias(t *testing.T) {
	const tmpRun = "github.com/magekit/temp/mgtemp.Tmp.Run"
	for _, c := range []struct {
		name, fn string
		args     []string
		want     string
	}{
		{"tmp:run", tmpRun, []string{"-v", "t:tmp:run", "echo hi"}, "t:tmp:run"},
		{"tmp:run", tmpRun, []string{"T:Tmp:Run", "true"}, "t:tmp:run"},
		{"tmp:run", tmpRun, []string{"MyTools:tmp:run", "true"}, "myTools:tmp:run"},
		{"tmp:run", tmpRun, []string{"tmp:run", "true"}, "tmp:run"},
		{"tmp:run", tmpRun, []string{"build"}, "tmp:run"}, // a dependency
		{"tmp:run", tmpRun, []string{"-t", "1s", "t:tmp:name"}, "tmp:run"},
		{"docker:push", "main.Docker.Push", []string{"x:docker:push"}, "docker:push"},
	} {
		if got := withAlias(c.name, c.fn, c.args); got != c.want {
			t.Errorf("withAlias(%q, %q, %q) = %q, want %q", c.name, c.fn, c.args, got, c.want)
		}
	}
}
