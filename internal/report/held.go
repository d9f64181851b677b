package report

import (
	"bytes"
	"container/heap"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"github.com/klauspost/compress/s2"
)

// heldRecords keeps records (a sort key and the bytes an output writes for
// it) handed over in blocks, each block in key order, and gives them back
// in key order across blocks. Each block is held compressed: an
// exposure's findings must all be computed before the first one can be
// written (they are computed VPC by VPC and written by resource), and
// held as encoded output they take a fraction of the findings' memory.
type heldRecords struct {
	mu     sync.Mutex
	blocks []heldBlock
	sorted bool
	// size is about what the blocks take in memory.
	size int64
}

// heldBlock is one run of records of one unit of work.
type heldBlock struct {
	// first is the key of its first record.
	first []byte
	// unit and no order records of equal keys: by the unit of work that
	// gave them, then by the block's place among that unit's blocks.
	unit, no int
	// data is s2-compressed (key length, key, payload length, payload)
	// records, lengths as uvarints.
	data []byte
}

// heldBlockSize is what a heldBlock takes besides its key and data.
const heldBlockSize = 80

// blockBuilder collects the records of one block.
type blockBuilder struct {
	raw, first []byte
	n          int
	// scratch for compressing.
	enc []byte
}

func (b *blockBuilder) reset() { b.raw, b.first, b.n = b.raw[:0], b.first[:0], 0 }

// record adds one record; records come in key order.
func (b *blockBuilder) record(key, payload []byte) {
	if b.n == 0 {
		b.first = append(b.first[:0], key...)
	}
	b.raw = binary.AppendUvarint(b.raw, uint64(len(key)))
	b.raw = append(b.raw, key...)
	b.raw = binary.AppendUvarint(b.raw, uint64(len(payload)))
	b.raw = append(b.raw, payload...)
	b.n++
}

// put compresses the builder's records into a block of unit and keeps it.
func (h *heldRecords) put(unit, no int, b *blockBuilder) {
	if b.n == 0 {
		return
	}
	if n := s2.MaxEncodedLen(len(b.raw)); cap(b.enc) < n {
		b.enc = make([]byte, n)
	}
	enc := s2.Encode(b.enc[:cap(b.enc)], b.raw)
	blk := heldBlock{first: bytes.Clone(b.first), unit: unit, no: no, data: bytes.Clone(enc)}
	h.mu.Lock()
	h.blocks = append(h.blocks, blk)
	h.sorted = false
	h.size += int64(cap(blk.first) + cap(blk.data) + heldBlockSize)
	h.mu.Unlock()
}

// each calls fn with every record in order: by key, then unit, then block,
// then place in its block. Only the blocks whose records are due are held
// uncompressed at a time. Not to be called while blocks are still put.
func (h *heldRecords) each(fn func(key, payload []byte) error) error {
	if !h.sorted {
		slices.SortFunc(h.blocks, func(a, b heldBlock) int {
			if c := bytes.Compare(a.first, b.first); c != 0 {
				return c
			}
			if a.unit != b.unit {
				return a.unit - b.unit
			}
			return a.no - b.no
		})
		h.sorted = true
	}
	var due cursors
	var free [][]byte
	next := 0
	for {
		for next < len(h.blocks) && (len(due) == 0 || h.blocks[next].before(due[0])) {
			c := &cursor{b: &h.blocks[next], pos: -1}
			var buf []byte
			if k := len(free); k > 0 {
				buf, free = free[k-1], free[:k-1]
			}
			raw, err := s2.Decode(buf[:cap(buf)], c.b.data)
			if err != nil {
				return fmt.Errorf("held findings: %w", err)
			}
			c.raw = raw
			c.advance()
			heap.Push(&due, c)
			next++
		}
		if len(due) == 0 {
			return nil
		}
		c := due[0]
		if err := fn(c.key, c.payload); err != nil {
			return err
		}
		if c.advance() {
			heap.Fix(&due, 0)
		} else {
			heap.Pop(&due)
			free = append(free, c.raw)
		}
	}
}

// cursor reads one block's records.
type cursor struct {
	b            *heldBlock
	raw          []byte
	off, pos     int
	key, payload []byte
}

// advance moves to the next record, false when there is none.
func (c *cursor) advance() bool {
	if c.off >= len(c.raw) {
		return false
	}
	c.pos++
	n, k := binary.Uvarint(c.raw[c.off:])
	c.off += k
	c.key = c.raw[c.off : c.off+int(n)]
	c.off += int(n)
	n, k = binary.Uvarint(c.raw[c.off:])
	c.off += k
	c.payload = c.raw[c.off : c.off+int(n)]
	c.off += int(n)
	return true
}

// before reports whether a block's first record comes before a cursor's.
func (b *heldBlock) before(c *cursor) bool {
	if x := bytes.Compare(b.first, c.key); x != 0 {
		return x < 0
	}
	if b.unit != c.b.unit {
		return b.unit < c.b.unit
	}
	return b.no < c.b.no
}

// cursors is a heap of the blocks being read, the next record first.
type cursors []*cursor

func (h cursors) Len() int { return len(h) }
func (h cursors) Less(i, j int) bool {
	a, b := h[i], h[j]
	if x := bytes.Compare(a.key, b.key); x != 0 {
		return x < 0
	}
	if a.b.unit != b.b.unit {
		return a.b.unit < b.b.unit
	}
	if a.b.no != b.b.no {
		return a.b.no < b.b.no
	}
	return a.pos < b.pos
}
func (h cursors) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *cursors) Push(x any)   { *h = append(*h, x.(*cursor)) }
func (h *cursors) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

// held is about what the blocks take in memory.
func (h *heldRecords) held() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.size
}
