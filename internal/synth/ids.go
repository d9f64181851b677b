package synth

import "hash/fnv"

// idGen makes AWS-looking identifiers (prefix-17 hex digits) that are
// unique per prefix: the number n goes through a bijection of 64-bit
// integers salted by the seed and the prefix, so distinct n give distinct
// IDs and the same seed gives the same IDs.
type idGen struct{ seed uint64 }

func newIDGen(seed uint64) idGen { return idGen{seed: seed} }

func (g idGen) mix(prefix string, n uint64) uint64 {
	h := fnv.New64a()
	h.Write([]byte(prefix))
	x := n ^ (h.Sum64() + g.seed*0x9e3779b97f4a7c15)
	// splitmix64's finalizer: each step is invertible.
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

const hexDigits = "0123456789abcdef"

// id returns prefix-xxxxxxxxxxxxxxxxx.
func (g idGen) id(prefix string, n uint64) string {
	x := g.mix(prefix, n)
	b := make([]byte, 0, len(prefix)+18)
	b = append(b, prefix...)
	b = append(b, '-')
	return string(appendHex(b, x, 17))
}

// hex returns width lower-case hex digits derived from prefix and n.
func (g idGen) hex(prefix string, n uint64, width int) string {
	b := make([]byte, 0, width)
	for len(b) < width {
		b = appendHex(b, g.mix(prefix, n), min(16, width-len(b)))
		prefix += "+"
	}
	return string(b)
}

// zone returns a Route 53 hosted zone ID.
func (g idGen) zone(n uint64) string {
	x := g.mix("hostedzone", n)
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := []byte("Z")
	for range 13 {
		b = append(b, digits[x%36])
		x /= 36
	}
	return string(b)
}

func appendHex(b []byte, x uint64, width int) []byte {
	var tmp [24]byte
	for i := width - 1; i >= 0; i-- {
		tmp[i] = hexDigits[x&15]
		x >>= 4
	}
	return append(b, tmp[:width]...)
}
