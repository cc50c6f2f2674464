package tempfile_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/magekit/temp/tempfile"
)

func ExampleMktemp() {
	name, err := tempfile.Mktemp(".txt")
	if err != nil {
		log.Fatal(err)
	}
	// The name is free now, but not reserved: create it with O_EXCL.
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(name)
	defer f.Close()
	fmt.Println(filepath.IsAbs(name), strings.HasSuffix(name, ".txt"))
	// Output: true true
}

func ExampleTemporaryFile() {
	f, err := tempfile.TemporaryFile("")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()         // the file has no name: closing it frees everything
	w := bufio.NewWriter(f) // the classic module's bufsize
	fmt.Fprint(w, "scratch data")
	w.Flush()
	f.Seek(0, io.SeekStart)
	b, _ := io.ReadAll(f)
	fmt.Println(string(b))
	// Output: scratch data
}

func ExampleNewTemporaryFile() {
	f, err := tempfile.NewTemporaryFile(tempfile.Options{Flag: os.O_APPEND})
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	f.WriteString("a")
	f.Seek(0, io.SeekStart)
	f.WriteString("b") // O_APPEND: still goes to the end
	b := make([]byte, 2)
	f.ReadAt(b, 0)
	fmt.Println(string(b))
	// Output: ab
}

func ExamplePrefix() {
	// "@<pid>." on Unix, "<pid>-" on Windows (as Python's tempfile there).
	fmt.Println(strings.Contains(tempfile.Prefix(), strconv.Itoa(os.Getpid())))
	// Output: true
}

func ExampleSetPrefix() {
	defer tempfile.SetPrefix("") // back to the default
	if err := tempfile.SetPrefix("build-"); err != nil {
		log.Fatal(err)
	}
	name, _ := tempfile.Mktemp("")
	fmt.Println(strings.HasPrefix(filepath.Base(name), "build-"))
	err := tempfile.SetPrefix("../escape")
	fmt.Println(errors.Is(err, fs.ErrInvalid))
	// Output:
	// true
	// true
}

func ExampleDir() {
	// The first writable of $TMPDIR, $TEMP, $TMP, /tmp, /var/tmp, /usr/tmp
	// and the working directory; absolute, and cached.
	fmt.Println(filepath.IsAbs(tempfile.Dir()))
	// Output: true
}

func ExampleSetDir() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	tempfile.SetDir(dir)
	defer tempfile.SetDir("") // back to the default
	name, _ := tempfile.Mktemp("")
	fmt.Println(filepath.Dir(name) == dir)
	// Output: true
}

func ExampleCreateTemp() {
	f, err := tempfile.CreateTemp(tempfile.Options{Prefix: "report-", Suffix: ".csv"})
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(f.Name()) // CreateTemp keeps the file: remove it yourself
	defer f.Close()
	// Mode 0600 on Unix; on Windows the user's temp directory is private.
	fmt.Println(strings.HasPrefix(filepath.Base(f.Name()), "report-"), strings.HasSuffix(f.Name(), ".csv"))
	// Output: true true
}

func ExampleMkdirTemp() {
	dir, err := tempfile.MkdirTemp(tempfile.Options{Prefix: "work-"})
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	fi, _ := os.Stat(dir) // mode 0700 on Unix
	fmt.Println(fi.IsDir(), strings.HasPrefix(filepath.Base(dir), "work-"))
	// Output: true true
}

func ExampleNewFile() {
	f, err := tempfile.NewFile(tempfile.Options{Suffix: ".json"})
	if err != nil {
		log.Fatal(err)
	}
	name := f.Name()
	f.WriteString(`{"ok":true}`)
	f.Close() // removes the file
	_, err = os.Stat(name)
	fmt.Println(errors.Is(err, fs.ErrNotExist))
	// Output: true
}

func ExampleFile_Persist() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	// Create the temporary file beside its destination: a rename cannot
	// cross file systems.
	f, err := tempfile.NewFile(tempfile.Options{Dir: dir})
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close() // after Persist, Close only closes
	f.WriteString("config v2")
	if err := f.Persist(filepath.Join(dir, "config")); err != nil {
		log.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "config"))
	fmt.Println(string(b))
	// Output: config v2
}

func ExampleFile_PersistNoClobber() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "taken"), []byte("first"), 0o600)
	f, _ := tempfile.NewFile(tempfile.Options{Dir: dir})
	defer f.Close()
	err := f.PersistNoClobber(filepath.Join(dir, "taken"))
	fmt.Println(errors.Is(err, fs.ErrExist))
	fmt.Println(f.PersistNoClobber(filepath.Join(dir, "free")))
	// Output:
	// true
	// <nil>
}

func ExampleFile_Reopen() {
	f, _ := tempfile.NewFile(tempfile.Options{})
	defer f.Close()
	f.WriteString("shared")
	r, err := f.Reopen() // its own offset, at 0
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	fmt.Println(string(b))
	// Output: shared
}

func ExampleFile_Keep() {
	f, _ := tempfile.NewFile(tempfile.Options{})
	f.Keep()
	f.Close()
	_, err := os.Stat(f.Name())
	fmt.Println(err == nil)
	os.Remove(f.Name())
	// Output: true
}

func ExampleNewSpooled() {
	s := tempfile.NewSpooled(8, tempfile.Options{})
	defer s.Close()
	s.Write([]byte("tiny"))
	fmt.Println(s.Rolled())
	s.Write([]byte(" and then some")) // past 8 bytes: now on disk
	fmt.Println(s.Rolled())
	s.Seek(0, io.SeekStart)
	b, _ := io.ReadAll(s)
	fmt.Println(string(b))
	// Output:
	// false
	// true
	// tiny and then some
}

func ExampleSpooled_File() {
	s := tempfile.NewSpooled(1<<20, tempfile.Options{})
	defer s.Close()
	s.Write([]byte("hand me a real file"))
	f, err := s.File() // forces the roll; s still owns f
	if err != nil {
		log.Fatal(err)
	}
	fi, _ := f.Stat()
	fmt.Println(s.Rolled(), fi.Size())
	// Output: true 19
}

func ExampleWriteFile() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "state.json")
	for _, v := range []string{"v1", "v2"} {
		if err := tempfile.WriteFile(path, []byte(v), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	entries, _ := os.ReadDir(dir)
	fmt.Println(string(b), len(entries))
	// Output: v2 1
}

func ExampleNewScope() {
	s, err := tempfile.NewScope("build")
	if err != nil {
		log.Fatal(err)
	}
	defer s.Cleanup()
	fmt.Println(strings.HasPrefix(filepath.Base(s.Path()), "build."))
	// Output: true
}

func ExampleScope_Name() {
	s, _ := tempfile.NewScope("archive")
	defer s.Cleanup()
	out, _ := s.Name(".tar.gz") // safe to create later: the scope is private
	fmt.Println(filepath.Dir(out) == s.Path(), strings.HasSuffix(out, ".tar.gz"))
	// Output: true true
}

func ExampleScope_File() {
	s, _ := tempfile.NewScope("logs")
	defer s.Cleanup()
	f, _ := s.File(".log") // mode 0600 on Unix
	defer f.Close()
	fmt.Println(filepath.Dir(f.Name()) == s.Path(), strings.HasSuffix(f.Name(), ".log"))
	// Output: true true
}

func ExampleScope_Mkdir() {
	s, _ := tempfile.NewScope("unpack")
	defer s.Cleanup()
	d, _ := s.Mkdir("")
	os.WriteFile(filepath.Join(d, "a"), []byte("x"), 0o400) // read-only is fine
	fmt.Println(filepath.Dir(d) == s.Path())
	// Output: true
}

func ExampleScope_Cleanup() {
	s, _ := tempfile.NewScope("job")
	d, _ := s.Mkdir("")
	os.Chmod(d, 0o500) // read-only trees are removed too
	err := s.Cleanup()
	_, statErr := os.Stat(s.Path())
	fmt.Println(err, errors.Is(statErr, fs.ErrNotExist))
	// Output: <nil> true
}

func ExampleScope_Keep() {
	s, _ := tempfile.NewScope("debug")
	s.Keep() // Cleanup leaves it, Sweep never removes it
	s.Cleanup()
	_, err := os.Stat(s.Path())
	fmt.Println(err == nil)
	os.RemoveAll(s.Path())
	os.Remove(s.Path() + ".kept")
	// Output: true
}

func ExampleSweep() {
	// Remove the scopes of processes that died without cleaning up; ""
	// sweeps Dir(). Here a fresh directory has none.
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	removed, err := tempfile.Sweep(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range removed {
		fmt.Println("removed", p)
	}
	fmt.Println(len(removed))
	// Output: 0
}

func ExampleScopes() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	tempfile.SetDir(dir)
	defer tempfile.SetDir("")
	s, _ := tempfile.NewScope("build")
	defer s.Cleanup()
	list, _ := tempfile.Scopes("")
	for _, sc := range list {
		fmt.Println(sc.Label, sc.PID == os.Getpid(), sc.Live, sc.Kept)
	}
	// Output: build true true false
}

func ExampleScope_Done() {
	s, _ := tempfile.NewScope("watched")
	go s.Cleanup()
	<-s.Done() // closed once Cleanup has finished
	_, err := os.Stat(s.Path())
	fmt.Println(errors.Is(err, fs.ErrNotExist))
	// Output: true
}

func ExampleScope_Env() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	tempfile.SetDir(dir)
	defer tempfile.SetDir("")
	s, _ := tempfile.NewScope("build")
	defer s.Cleanup() // also removes what the child left in its temp directory
	// With mage: sh.RunWith(s.Env(), "go", "build", "./..."). With os/exec:
	// cmd.Env = append(os.Environ(), env...), as later entries win.
	var env []string
	for _, k := range []string{"TMPDIR", "TEMP", "TMP"} {
		env = append(env, k+"="+s.Env()[k])
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Println(k, v == s.Path())
	}
	// Output:
	// TMPDIR true
	// TEMP true
	// TMP true
}

func ExampleScope_CreateTemp() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	tempfile.SetDir(dir)
	defer tempfile.SetDir("")
	s, _ := tempfile.NewScope("vm")
	defer s.Cleanup() // removes the file too
	f, err := s.CreateTemp(tempfile.Options{Prefix: "multipass-", Suffix: "-cloud-init.yaml", Perm: 0o644})
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	name := filepath.Base(f.Name())
	fmt.Println(filepath.Dir(f.Name()) == s.Path(), strings.HasPrefix(name, "multipass-"), strings.HasSuffix(name, "-cloud-init.yaml"))
	// Output: true true true
}

func ExampleScope_MkdirTemp() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	tempfile.SetDir(dir)
	defer tempfile.SetDir("")
	s, _ := tempfile.NewScope("unpack")
	work, err := s.MkdirTemp(tempfile.Options{Prefix: "release-"})
	if err != nil {
		log.Fatal(err)
	}
	os.WriteFile(filepath.Join(work, "payload"), []byte("data"), 0o600)
	s.Cleanup() // removes the directory and what is in it
	_, err = os.Stat(work)
	fmt.Println(errors.Is(err, fs.ErrNotExist))
	// Output: true
}

func ExampleNewScopeIn() {
	// Scratch space on the output's file system: a release target that
	// unpacks a large archive next to build/, so the final rename into
	// build/ never crosses devices.
	out, _ := os.MkdirTemp("", "build")
	defer os.RemoveAll(out)
	s, err := tempfile.NewScopeIn(out, "release")
	if err != nil {
		log.Fatal(err)
	}
	defer s.Cleanup()
	f, _ := s.File(".tar")
	f.WriteString("payload")
	f.Close()
	if err := os.Rename(f.Name(), filepath.Join(out, "release.tar")); err != nil {
		log.Fatal(err)
	}
	list, _ := tempfile.Scopes(out) // and Sweep(out) after a kill -9
	fmt.Println(len(list), list[0].Label, list[0].Path == s.Path())
	// Output: 1 release true
}
