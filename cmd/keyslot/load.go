package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/keyslot/keyslot/internal/config"
)

// envPrefix starts every environment variable keyslot reads: key
// cluster-node-timeout is KEYSLOT_CLUSTER_NODE_TIMEOUT.
const envPrefix = "KEYSLOT_"

// configKey names the flag, and with envPrefix the variable, that points at
// the YAML file. It is not a key of the file itself.
const configKey = "config"

// maxConfigFile bounds how much of a config file is read; real ones are a
// few kilobytes, and anything near this is not a config file.
const maxConfigFile = 1 << 20

// ignoredEnv reports whether an environment variable with our prefix is
// someone else's switch rather than a setting, so that its presence does not
// stop start-up. KEYSLOT_REQUIRE_ALL and KEYSLOT_COMPAT* are read by the test
// harness, and test suites start keyslot with the environment they run in.
func ignoredEnv(name string) bool {
	return name == "KEYSLOT_REQUIRE_ALL" || strings.HasPrefix(name, "KEYSLOT_COMPAT")
}

// envName returns the environment variable that sets key.
func envName(key string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

// envKey is envName's inverse: the key an environment variable would set.
func envKey(name string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(name, envPrefix), "_", "-"))
}

// field is one configuration key and the struct field that receives it.
type field struct {
	key string
	v   reflect.Value
}

// fieldsOf lists the keys of the struct dst points to, named by their
// mapstructure tags; fields tagged ",squash" contribute their own keys, so
// a subcommand's settings can combine a package Config with cmd-level keys.
// A type it cannot list is a programmer error, found at start-up.
func fieldsOf(dst any) []field {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("fieldsOf: %T is not a pointer to a struct", dst))
	}
	var out []field
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		t := v.Type()
		for i := range t.NumField() {
			name, opts, _ := strings.Cut(t.Field(i).Tag.Get("mapstructure"), ",")
			switch {
			case opts == "squash":
				walk(v.Field(i))
			case name != "" && name != "-":
				out = append(out, field{key: name, v: v.Field(i)})
			}
		}
	}
	walk(rv.Elem())
	return out
}

// UnknownKeyError reports a key in the config file or the environment that
// the subcommand has no setting for.
type UnknownKeyError struct {
	Key     string // the key as the file or variable spells it
	Source  string // `config file "node.yaml"` or `environment variable KEYSLOT_X`
	Suggest string // a known key close to Key, or ""
}

// Error names the key, where it was found, and a likely intended key.
func (e *UnknownKeyError) Error() string {
	s := fmt.Sprintf("unknown key %q (from %s)", e.Key, e.Source)
	if e.Suggest != "" {
		s += fmt.Sprintf("; did you mean %q?", e.Suggest)
	}
	return s
}

// Is reports whether target is config.ErrInvalid.
func (e *UnknownKeyError) Is(target error) bool { return target == config.ErrInvalid }

// load fills the struct dst points to, which already holds the defaults,
// from three sources, each overriding the one before: the YAML file named by
// --config (or KEYSLOT_CONFIG), KEYSLOT_* environment variables, and the
// flags of fs that were set on the command line. Keys not set anywhere keep
// their defaults. Unknown keys in the file or the environment, and values
// that do not parse, are errors naming the key, the value and its source;
// range checks are left to the Config's Validate.
func load(fs *pflag.FlagSet, dst any) error {
	fields := fieldsOf(dst)
	known := make([]string, len(fields))
	for i, f := range fields {
		known[i] = f.key
	}

	var errs []error
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, envPrefix) || name == envName(configKey) || ignoredEnv(name) {
			continue
		}
		if key := envKey(name); !slices.Contains(known, key) {
			errs = append(errs, &UnknownKeyError{Key: key, Source: "environment variable " + name, Suggest: suggest(key, known)})
		}
	}

	v := viper.New()
	path := configPath(fs)
	fileSource := ""
	if path != "" {
		fileSource = fmt.Sprintf("config file %q", path)
		b, err := readConfigFile(path)
		if err != nil {
			return err
		}
		keys, err := checkFileKeys(b, fileSource, known)
		if err != nil {
			// Values are not worth checking until every key is right.
			return errors.Join(append(errs, err)...)
		}
		v.SetConfigType("yaml")
		if err := v.ReadConfig(bytes.NewReader(b)); err != nil {
			return fmt.Errorf("%s: %w", fileSource, err)
		}
		// A key written with no value ("port:") reads as null, which viper
		// treats as unset; Redis would reject the line, and so do we rather
		// than quietly use the default.
		for _, key := range keys {
			if v.Get(key) == nil {
				errs = append(errs, &config.FieldError{Key: key, Source: fileSource, Msg: "argument is missing"})
			}
		}
	}

	v.SetEnvPrefix(strings.TrimSuffix(envPrefix, "_"))
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	// An empty variable is a value (KEYSLOT_METRICS_ADDR= turns metrics
	// off), not an absent one.
	v.AllowEmptyEnv(true)
	v.AutomaticEnv()
	for _, f := range fields {
		if fl := fs.Lookup(f.key); fl != nil {
			if err := v.BindPFlag(f.key, fl); err != nil {
				return err
			}
		}
	}

	for _, f := range fields {
		if !v.IsSet(f.key) {
			continue
		}
		raw := v.Get(f.key)
		if err := decode(raw, f.v); err != nil {
			errs = append(errs, &config.FieldError{
				Key:    f.key,
				Value:  formatRaw(raw),
				Source: sourceOf(f.key, fs, fileSource),
				Msg:    err.Error(),
			})
		}
	}
	return errors.Join(errs...)
}

// configPath returns the config file named by --config, or else by
// KEYSLOT_CONFIG; "" means none.
func configPath(fs *pflag.FlagSet) string {
	if fl := fs.Lookup(configKey); fl != nil && fl.Changed {
		return fl.Value.String()
	}
	return os.Getenv(envName(configKey))
}

// readConfigFile reads at most maxConfigFile bytes of path.
func readConfigFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(f, maxConfigFile+1))
	if err != nil {
		return nil, fmt.Errorf("config file %q: %w", path, err)
	}
	if n > maxConfigFile {
		return nil, fmt.Errorf("config file %q: larger than %d bytes", path, maxConfigFile)
	}
	return buf.Bytes(), nil
}

// checkFileKeys parses b as a YAML mapping and returns its keys, lowercased
// as viper will see them, or an error for every key that is not in known.
// The file is checked here rather than through viper because viper leaves
// out keys whose value is null or an empty mapping, and a typo must not hide
// behind either.
func checkFileKeys(b []byte, source string, known []string) ([]string, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	var keys []string
	var errs []error
	for k, val := range doc {
		key := strings.ToLower(k)
		switch {
		case !slices.Contains(known, key):
			errs = append(errs, &UnknownKeyError{Key: k, Source: source, Suggest: suggest(key, known)})
		case isMap(val):
			// Settings are flat, as in redis.conf; a section where a value
			// belongs is a mistake, whatever it contains.
			errs = append(errs, &config.FieldError{Key: key, Value: "{...}", Source: source, Msg: "argument must be a value, not a mapping"})
		default:
			keys = append(keys, key)
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	slices.Sort(keys)
	return keys, errors.Join(errs...)
}

func isMap(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

// sourceOf says where the value of key came from, following the same
// precedence as viper.
func sourceOf(key string, fs *pflag.FlagSet, fileSource string) string {
	if fl := fs.Lookup(key); fl != nil && fl.Changed {
		return "flag --" + key
	}
	if _, ok := os.LookupEnv(envName(key)); ok {
		return "environment variable " + envName(key)
	}
	return fileSource
}

// formatRaw renders a value as the user wrote it, for error messages.
func formatRaw(raw any) string {
	switch x := raw.(type) {
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatRaw(e)
		}
		return strings.Join(parts, ",")
	case []string:
		return strings.Join(x, ",")
	case map[string]any:
		return "{...}"
	}
	return fmt.Sprint(raw)
}

// decode converts raw, as viper returns it from a flag (typed by pflag), a
// variable (always a string) or YAML (string, int, float64, bool or list),
// into dst. Its errors are the reason alone; the caller adds key and value.
func decode(raw any, dst reflect.Value) error {
	switch dst.Type() {
	case reflect.TypeFor[config.ByteSize]():
		n, err := toByteSize(raw)
		if err != nil {
			return err
		}
		dst.SetInt(int64(n))
		return nil
	case reflect.TypeFor[time.Duration]():
		d, err := toDuration(raw)
		if err != nil {
			return err
		}
		dst.SetInt(int64(d))
		return nil
	}
	switch dst.Kind() {
	case reflect.String:
		s, err := toString(raw)
		if err != nil {
			return err
		}
		dst.SetString(s)
	case reflect.Bool:
		b, err := toBool(raw)
		if err != nil {
			return err
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := toInt(raw)
		if err != nil || dst.OverflowInt(n) {
			return errors.New(config.MsgInteger)
		}
		dst.SetInt(n)
	case reflect.Slice:
		if dst.Type().Elem().Kind() != reflect.String {
			panic("decode: unsupported slice type " + dst.Type().String())
		}
		list, err := toStrings(raw)
		if err != nil {
			return err
		}
		dst.Set(reflect.ValueOf(list).Convert(dst.Type()))
	default:
		panic("decode: unsupported type " + dst.Type().String())
	}
	return nil
}

func toString(raw any) (string, error) {
	switch x := raw.(type) {
	case string:
		return x, nil
	case int, int64, uint64, float64, bool:
		// YAML reads `dir: 2024` as a number; the user meant the text.
		return fmt.Sprint(x), nil
	}
	return "", errors.New("argument must be a string")
}

func toBool(raw any) (bool, error) {
	switch x := raw.(type) {
	case bool:
		return x, nil
	case string:
		return config.ParseBool(x)
	}
	return false, errors.New(config.MsgYesNo)
}

func toInt(raw any) (int64, error) {
	switch x := raw.(type) {
	case int:
		return int64(x), nil
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, errors.New(config.MsgInteger)
		}
		return int64(x), nil
	case float64:
		if x != math.Trunc(x) || x < math.MinInt64 || x >= math.MaxInt64 {
			return 0, errors.New(config.MsgInteger)
		}
		return int64(x), nil
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return 0, errors.New(config.MsgInteger)
		}
		return n, nil
	}
	return 0, errors.New(config.MsgInteger)
}

func toByteSize(raw any) (config.ByteSize, error) {
	if s, ok := raw.(string); ok {
		return config.ParseByteSize(s)
	}
	n, err := toInt(raw)
	if err != nil || n < 0 {
		return 0, errors.New(config.MsgMemory)
	}
	return config.ByteSize(n), nil
}

// msgDuration explains the accepted forms of a duration.
const msgDuration = `argument must be a duration such as "10s" or "1m30s", or whole seconds`

// toDuration accepts Go's duration syntax ("10s", "1m30s") and, since
// redis.conf counts time in seconds, a bare whole number of seconds.
func toDuration(raw any) (time.Duration, error) {
	if s, ok := raw.(string); ok {
		if d, err := time.ParseDuration(s); err == nil {
			return d, nil
		}
	}
	n, err := toInt(raw)
	if err != nil || n > math.MaxInt64/int64(time.Second) || n < math.MinInt64/int64(time.Second) {
		return 0, errors.New(msgDuration)
	}
	return time.Duration(n) * time.Second, nil
}

// toStrings accepts a list or a single string, and splits every element on
// commas and white space, so "a,b", "a b", [a, b] and --seeds a --seeds b
// all give [a b]. Empty elements are dropped.
func toStrings(raw any) ([]string, error) {
	var in []string
	switch x := raw.(type) {
	case string:
		in = []string{x}
	case []string:
		in = x
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, errors.New("argument must be a list of strings")
			}
			in = append(in, s)
		}
	default:
		return nil, errors.New("argument must be a list of strings")
	}
	out := []string{}
	for _, s := range in {
		out = append(out, strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })...)
	}
	return out, nil
}

// suggest returns the known key closest to key when it is a likely typo
// (at most two edits away), or "".
func suggest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(key, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
