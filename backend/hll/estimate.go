package hll

import "math"

// alphaInf is 1/(2 ln 2), the bias constant of Ertl's estimator.
const alphaInf = 0.721347520444481703680

// estimate turns a register histogram into a cardinality with the estimator
// of Otmar Ertl, "New cardinality estimation algorithms for HyperLogLog
// sketches" (arXiv:1702.01284), evaluated in the same order as Redis 7 so
// the rounding, and therefore the result, is identical. The explicit
// float64 conversions keep the compiler from fusing a multiply and an add,
// which would round differently from Redis's separate operations.
//
// The result is the integer PFCOUNT replies with. Redis rounds with
// llroundl and stores the result in a uint64 that it replies as a signed
// long long; an estimate out of range (possible only for crafted registers,
// e.g. all of them 51 or more, which makes it infinite) comes out of the
// x86-64 conversions as the most negative 64-bit integer, and so it does
// here.
func estimate(h *[histogramSz]int) int64 {
	const m = float64(numRegs)
	z := m * tau((m-float64(h[maxRank]))/m)
	for j := hashBits; j >= 1; j-- {
		z += float64(h[j])
		z *= 0.5
	}
	z += float64(m * sigma(float64(h[0])/m))
	e := math.Round(alphaInf * m * m / z)
	if !(e < 1<<63) {
		return math.MinInt64
	}
	return int64(e)
}

// sigma is the series for the registers still at zero.
func sigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		prev := z
		z += float64(x * y)
		y += y
		if prev == z {
			return z
		}
	}
}

// tau is the series for the registers that saturated.
func tau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		d := 1 - x
		z -= float64(float64(d*d) * y)
		if prev == z {
			return z / 3
		}
	}
}
