package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// confirmHelp ends the help of a command that asks before it deletes.
const confirmHelp = `When stdin is a terminal, it first asks for confirmation and does nothing
unless the answer is y or yes; --yes (-y) skips the question. When stdin is
not a terminal (a script, a pipe), no question is asked.`

// askFunc shows question and reads one line of answer. nil means there is
// nobody to ask: stdin is not a terminal.
type askFunc func(question string) (string, error)

// terminalAsk asks on the terminal that stdin is, with the question on
// stderr; nil when stdin is not a terminal. The line is read with the
// terminal in raw mode, so that Ctrl-C (and Ctrl-D) end it as a "no"
// instead of leaving a read of stdin that nothing can stop.
func terminalAsk(stdin io.Reader, stderr io.Writer) askFunc {
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(question string) (string, error) {
		fd := int(f.Fd())
		old, err := term.MakeRaw(fd)
		if err != nil {
			return "", fmt.Errorf("cannot ask on the terminal: %w (give --yes to delete without asking)", err)
		}
		t := term.NewTerminal(struct {
			io.Reader
			io.Writer
		}{f, stderr}, question)
		line, err := t.ReadLine()
		if rerr := term.Restore(fd, old); rerr != nil && err == nil {
			err = rerr
		}
		if errors.Is(err, io.EOF) {
			fmt.Fprintln(stderr) // Ctrl-C or Ctrl-D: end the question's line
			return "", nil
		}
		return line, err
	}
}

// confirm asks question through ask unless yes is set or ask is nil (no
// terminal). It returns nil to go ahead, or the error saying what was not
// done.
func confirm(ask askFunc, yes bool, question, notDone string) error {
	if yes || ask == nil {
		return nil
	}
	answer, err := ask(question)
	if err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	return fmt.Errorf("%s: not confirmed (answer y, or give --yes)", notDone)
}

// addConfirm adds --yes/-y to the delete command cmd and makes it ask
// question(args) after its argument checks (cmd.PreRunE, set before),
// before it dials the server; notDone(args) names what was then not done.
func addConfirm(e *env, cmd *cobra.Command, question, notDone func(args []string) string) {
	var yes bool
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking (no question is asked anyway when stdin is not a terminal)")
	if cmd.Long == "" {
		cmd.Long = cmd.Short + "."
	}
	cmd.Long += "\n\n" + confirmHelp
	check := cmd.PreRunE
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if check != nil {
			if err := check(cmd, args); err != nil {
				return err
			}
		}
		return confirm(terminalAsk(e.stdin, e.stderr), yes, question(args), notDone(args))
	}
}
