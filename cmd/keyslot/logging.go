package main

import (
	"errors"
	"io"
	"time"

	"github.com/spf13/pflag"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/keyslot/keyslot/internal/config"
)

// logOptions are the cmd-level logging keys every server subcommand takes.
// They are not part of any package's Config: packages receive a ready
// *zap.Logger.
type logOptions struct {
	Level  string `mapstructure:"log-level"`  // debug, info, warn or error
	Format string `mapstructure:"log-format"` // json or console
}

// defaultLogOptions logs at info, as JSON for node and proxy (for log
// collectors) or as console lines for local (for a person at a terminal).
func defaultLogOptions(format string) logOptions {
	return logOptions{Level: "info", Format: format}
}

func (o logOptions) addFlags(fs *pflag.FlagSet) {
	fs.String("log-level", o.Level, "log `level`: debug, info, warn or error")
	fs.String("log-format", o.Format, "log `format`: json or console")
}

// Validate reports a level or format newLogger cannot use.
func (o logOptions) Validate() error {
	var errs []error
	switch o.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, config.Invalid("log-level", o.Level, "argument must be one of debug, info, warn, error"))
	}
	switch o.Format {
	case "json", "console":
	default:
		errs = append(errs, config.Invalid("log-format", o.Format, "argument must be json or console"))
	}
	return errors.Join(errs...)
}

// newLogger builds the program's logger writing to w. JSON uses zap's
// production encoding and sampling; console is zap's development encoding,
// without the development mode's panics on DPanic.
func newLogger(o logOptions, w io.Writer) (*zap.Logger, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	lvl, err := zapcore.ParseLevel(o.Level)
	if err != nil {
		return nil, err
	}
	out := zapcore.Lock(zapcore.AddSync(w))
	var core zapcore.Core
	if o.Format == "console" {
		ec := zap.NewDevelopmentEncoderConfig()
		ec.EncodeTime = zapcore.TimeEncoderOfLayout("15:04:05.000")
		core = zapcore.NewCore(zapcore.NewConsoleEncoder(ec), out, lvl)
	} else {
		core = zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), out, lvl)
		// zap.NewProductionConfig's sampling: a flood of one message cannot
		// drown the rest or the disk.
		core = zapcore.NewSamplerWithOptions(core, time.Second, 100, 100)
	}
	return zap.New(core, zap.AddCaller(), zap.AddStacktrace(zapcore.ErrorLevel)), nil
}
