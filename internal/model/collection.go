package model

import (
	"slices"
	"strings"
)

// Collection holds the elements of one kind by ID. The zero value is ready
// to use. All returns the elements sorted by ID, so every output built from
// it is deterministic.
type Collection[T Element] struct {
	byID   map[string]T
	sorted []T
}

// Put adds or replaces an element and reports whether one with the same ID
// was already there.
func (c *Collection[T]) Put(e T) (replaced bool) {
	if c.byID == nil {
		c.byID = make(map[string]T)
	}
	id := e.Base().ID
	_, replaced = c.byID[id]
	c.byID[id] = e
	c.sorted = nil
	return replaced
}

// Get returns the element with that ID.
func (c *Collection[T]) Get(id string) (T, bool) {
	e, ok := c.byID[id]
	return e, ok
}

// Delete removes the element with that ID.
func (c *Collection[T]) Delete(id string) {
	if _, ok := c.byID[id]; ok {
		delete(c.byID, id)
		c.sorted = nil
	}
}

// Len is the number of elements.
func (c *Collection[T]) Len() int { return len(c.byID) }

// All returns the elements sorted by ID. The slice is shared: do not modify it.
func (c *Collection[T]) All() []T {
	if c.sorted == nil && len(c.byID) > 0 {
		// Sorted with each ID beside its element: comparisons need no call.
		type withID struct {
			id string
			e  T
		}
		ws := make([]withID, 0, len(c.byID))
		for _, e := range c.byID {
			ws = append(ws, withID{e.Base().ID, e})
		}
		slices.SortFunc(ws, func(a, b withID) int { return strings.Compare(a.id, b.id) })
		s := make([]T, len(ws))
		for i := range ws {
			s[i] = ws[i].e
		}
		c.sorted = s
	}
	return c.sorted
}
