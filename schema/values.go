package schema

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Decoders from one raw JSON value to a Go value of a column kind. Each accepts
// the types OpenAI is known to send for the field (numbers that arrive as
// strings, timestamps as seconds or RFC 3339) and refuses anything else.

func numberText(v []byte) (string, error) {
	if len(v) > 0 && v[0] == '"' {
		return Str(v)
	}
	if len(v) == 0 || v[0] == '{' || v[0] == '[' || v[0] == 't' || v[0] == 'f' || v[0] == 'n' {
		return "", fmt.Errorf("want a number, got %.40s", v)
	}
	return string(v), nil
}

func asInt64(v []byte) (int64, error) {
	s, err := numberText(v)
	if err != nil {
		return 0, err
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
		return 0, fmt.Errorf("want an integer, got %.40s", v)
	}
	return int64(f), nil
}

func asFloat64(v []byte) (float64, error) {
	s, err := numberText(v)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("want a number, got %.40s", v)
	}
	return f, nil
}

var decimalFactor = new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(DecimalScale), nil))

// asDecimal reads a number or a numeric string exactly (no float on the way)
// and scales it to DecimalScale digits, rounding half to even beyond that.
func asDecimal(v []byte) (decimal128.Num, error) {
	s, err := numberText(v)
	if err != nil {
		return decimal128.Num{}, err
	}
	// big.Rat also reads "1/3" and "0x10", and an exponent of a billion
	// digits: only a JSON number, with an exponent a decimal can use.
	if !decimalSyntax.MatchString(s) {
		return decimal128.Num{}, fmt.Errorf("want a decimal, got %.40s", v)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return decimal128.Num{}, fmt.Errorf("want a decimal, got %.40s", v)
	}
	r.Mul(r, decimalFactor)
	n := roundHalfEven(r)
	if n.CmpAbs(decimalLimit) >= 0 {
		return decimal128.Num{}, fmt.Errorf("decimal %.40s out of range", v)
	}
	return decimal128.FromBigInt(n), nil
}

var (
	decimalSyntax = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]{1,4})?$`)
	// decimalLimit is 10^DecimalPrecision: the scaled values a DECIMAL column holds are below it.
	decimalLimit = new(big.Int).Exp(big.NewInt(10), big.NewInt(DecimalPrecision), nil)
)

func roundHalfEven(r *big.Rat) *big.Int {
	if r.IsInt() {
		return new(big.Int).Set(r.Num())
	}
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
	switch c := twice.Cmp(r.Denom()); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		if r.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

func asBool(v []byte) (bool, error) {
	switch string(v) {
	case "true", `"true"`:
		return true, nil
	case "false", `"false"`:
		return false, nil
	}
	return false, fmt.Errorf("want a boolean, got %.40s", v)
}

// asMicros reads Unix seconds (integer or fractional, or such a string) or an
// RFC 3339 string and returns microseconds since the epoch.
func asMicros(v []byte) (int64, error) {
	if len(v) > 0 && v[0] == '"' {
		s, err := Str(v)
		if err != nil {
			return 0, err
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UnixMicro(), nil
		}
	}
	f, err := asFloat64(v)
	if err != nil || math.IsNaN(f) || math.Abs(f) > maxUnixSeconds {
		return 0, fmt.Errorf("want Unix seconds (up to the year 9999) or RFC 3339, got %.40s", v)
	}
	if n, err := asInt64(v); err == nil {
		return n * 1e6, nil
	}
	return int64(math.Round(f * 1e6)), nil
}

// maxUnixSeconds is the end of the year 9999, the last a timestamp column
// holds: beyond it microseconds overflow or mean nothing.
const maxUnixSeconds = 253402300799

func asString(v []byte) (string, error) {
	if len(v) > 0 && v[0] == '"' {
		return Str(v)
	}
	return string(v), nil
}
