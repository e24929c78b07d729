package rdb

import (
	"math"
	"testing"
)

func TestParseInt(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"1", 1, true},
		{"-1", -1, true},
		{"127", 127, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775809", 0, false},
		{"18446744073709551616", 0, false},
		{"99999999999999999999", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"-0", 0, false},
		{"00", 0, false},
		{"01", 0, false},
		{"+1", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"1a", 0, false},
		{"1.0", 0, false},
		{"123456789012345678901", 0, false},
	}
	for _, c := range cases {
		got, ok := parseInt([]byte(c.in))
		if ok != c.ok || got != c.want {
			t.Errorf("parseInt(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// The expected strings are C's printf("%.17g").
func TestAppendG17(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0.1, "0.10000000000000001"},
		{1.5, "1.5"},
		{-2.5, "-2.5"},
		{1e20, "1e+20"},
		{1e-5, "1.0000000000000001e-05"},
		{1e-4, "0.0001"},
		{0.0001234, "0.00012339999999999999"},
		{123.456, "123.456"},
		{5e-301, "5.0000000000000001e-301"},
		{1e16, "10000000000000000"},
		{1e17, "1e+17"},
		{9.999999999999998e+16, "99999999999999984"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
		{2.2250738585072014e-308, "2.2250738585072014e-308"},
		{5e-324, "4.9406564584124654e-324"},
		{-4.611686018427389e+18, "-4.6116860184273889e+18"},
		{0.3, "0.29999999999999999"},
		{2.0 / 3, "0.66666666666666663"},
		{1e21, "1e+21"},
		{1.2345678901234568e+17, "1.2345678901234568e+17"},
		{1e-300, "1e-300"},
	}
	for _, c := range cases {
		if got := string(appendG17(nil, c.in)); got != c.want {
			t.Errorf("appendG17(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestScoreEncoding(t *testing.T) {
	cases := []struct {
		in    float64
		int   int64
		isInt bool
		text  string
	}{
		{0, 0, true, ""},
		{math.Copysign(0, -1), 0, true, ""},
		{3, 3, true, ""},
		{-100, -100, true, ""},
		{1 << 62, 1 << 62, true, ""},
		{-(1 << 62), -(1 << 62), true, ""},
		{1<<62 + 1024, 0, false, "4.6116860184273889e+18"},
		{1.5, 0, false, "1.5"},
		{math.Inf(1), 0, false, "inf"},
		{math.Inf(-1), 0, false, "-inf"},
	}
	for _, c := range cases {
		v, ok := scoreAsInt(c.in)
		if ok != c.isInt || v != c.int {
			t.Errorf("scoreAsInt(%v) = %d, %v", c.in, v, ok)
		}
		if !ok {
			if got := string(appendScoreText(nil, c.in)); got != c.text {
				t.Errorf("appendScoreText(%v) = %q, want %q", c.in, got, c.text)
			}
		}
	}
}

func TestParseScore(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1.5", 1.5, true},
		{"-3", -3, true},
		{" 2", 2, true},
		{"1e400", math.Inf(1), true},
		{"inf", math.Inf(1), true},
		{"-inf", math.Inf(-1), true},
		{"", 0, false},
		{"abc", 0, false},
		{"1.5x", 0, false},
	}
	for _, c := range cases {
		got, ok := parseScore([]byte(c.in))
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseScore(%q) = %v, %v", c.in, got, ok)
		}
	}
	if f, ok := parseScore([]byte("nan")); !ok || !math.IsNaN(f) {
		t.Errorf("parseScore(nan) = %v, %v", f, ok)
	}
}
