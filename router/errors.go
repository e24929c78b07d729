package router

import (
	"errors"
	"strings"
)

// Error() of the errors below is the Redis reply text without the leading
// '-', ready for resp.Writer.AppendError.

// ErrEmptyCommand is returned by Lookup for an empty argument list, which
// Redis never dispatches (an empty multibulk is skipped).
var ErrEmptyCommand = errors.New("ERR empty command")

// UnknownCommandError is Redis's reply to a command it does not have, or
// one the program does not implement.
type UnknownCommandError struct {
	// Name is the command name as sent.
	Name string
	msg  string
}

func (e *UnknownCommandError) Error() string { return e.msg }

// newUnknownCommandError formats Redis 7.0's commandCheckExistence
// message: the name and the first arguments, each quoted and followed by a
// space, until the argument text reaches 128 bytes. Like Redis's %s, each
// piece stops at a NUL byte.
func newUnknownCommandError(args [][]byte) *UnknownCommandError {
	var b strings.Builder
	b.WriteString("ERR unknown command '")
	b.Write(truncate(cstr(args[0]), 128))
	b.WriteString("', with args beginning with: ")
	n := 0
	for i := 1; i < len(args) && n < 128; i++ {
		a := truncate(cstr(args[i]), 128-n)
		b.WriteByte('\'')
		b.Write(a)
		b.WriteString("' ")
		n += len(a) + 3
	}
	return &UnknownCommandError{Name: string(args[0]), msg: noNewlines(b.String())}
}

// UnknownSubcommandError is Redis's reply to a container command (CLIENT,
// CONFIG…) called with a subcommand it does not have or the program does
// not implement.
type UnknownSubcommandError struct {
	// Container is the container command.
	Container *Command
	// Name is the subcommand name as sent.
	Name string
	msg  string
}

func (e *UnknownSubcommandError) Error() string { return e.msg }

func newUnknownSubcommandError(container *Command, sub []byte) *UnknownSubcommandError {
	var b strings.Builder
	b.WriteString("ERR unknown subcommand '")
	b.Write(truncate(cstr(sub), 128))
	b.WriteString("'. Try ")
	b.WriteString(strings.ToUpper(container.Name))
	b.WriteString(" HELP.")
	return &UnknownSubcommandError{Container: container, Name: string(sub), msg: noNewlines(b.String())}
}

// ArityError is Redis's reply to a call with the wrong number of arguments.
// Each command has one, built with the table, so returning it does not
// allocate.
type ArityError struct {
	// Command is the command called.
	Command *Command
	msg     string
}

func (e *ArityError) Error() string { return e.msg }

func newArityError(c *Command) *ArityError {
	return &ArityError{Command: c, msg: "ERR wrong number of arguments for '" + c.Name + "' command"}
}

func truncate(b []byte, n int) []byte {
	if n < 0 {
		n = 0
	}
	if len(b) > n {
		return b[:n]
	}
	return b
}

// noNewlines replaces CR and LF with spaces, as Redis does to keep an
// error that quotes user input on one line.
func noNewlines(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}
