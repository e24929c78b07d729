package main

import (
	"github.com/spf13/pflag"

	"github.com/keyslot/keyslot/internal/config"
)

// yesNoValue is a boolean flag spelled as redis.conf spells it. Unlike
// pflag's bool it always takes a value, so `--appendonly no` reads "no" as
// the flag's value instead of leaving it behind as an argument, and it also
// accepts true and false.
type yesNoValue bool

func (b *yesNoValue) Set(s string) error {
	v, err := config.ParseBool(s)
	if err != nil {
		return err
	}
	*b = yesNoValue(v)
	return nil
}

func (b *yesNoValue) String() string { return config.FormatBool(bool(*b)) }

func (b *yesNoValue) Type() string { return "yes|no" }

// byteSizeValue is a size flag that takes Redis's units ("512mb", "100k").
type byteSizeValue config.ByteSize

func (n *byteSizeValue) Set(s string) error {
	v, err := config.ParseByteSize(s)
	if err != nil {
		return err
	}
	*n = byteSizeValue(v)
	return nil
}

func (n *byteSizeValue) String() string { return config.ByteSize(*n).String() }

func (n *byteSizeValue) Type() string { return "size" }

// The flags below only parse and show defaults: load reads the values back
// through viper, which is what gives flags their precedence over the
// environment and the file. Each flag is named after its config key.

func yesNoFlag(fs *pflag.FlagSet, key string, def bool, usage string) {
	v := yesNoValue(def)
	fs.Var(&v, key, usage)
}

func byteSizeFlag(fs *pflag.FlagSet, key string, def config.ByteSize, usage string) {
	v := byteSizeValue(def)
	fs.Var(&v, key, usage)
}

// configFlag adds --config.
func configFlag(fs *pflag.FlagSet) {
	fs.String(configKey, "", "YAML `file` to read settings from (or set KEYSLOT_CONFIG)")
}
