package collect

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// drain follows an SDK paginator to its last page and returns every item.
// more and next are the paginator's HasMorePages and NextPage methods; get
// picks the items of one page.
func drain[O, T, F any](ctx context.Context, more func() bool, next func(context.Context, ...F) (*O, error), get func(*O) []T) ([]T, error) {
	var all []T
	for more() {
		page, err := next(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, get(page)...)
	}
	if all == nil {
		all = []T{}
	}
	return all, nil
}

// tokenLoop follows NextToken for the few calls the SDK has no paginator
// for. call gets the token of the page to fetch (nil for the first) and
// returns the page's items and the next token.
func tokenLoop[T any](ctx context.Context, call func(ctx context.Context, token *string) ([]T, *string, error)) ([]T, error) {
	all := []T{}
	var token *string
	seen := map[string]bool{}
	for {
		items, next, err := call(ctx, token)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == nil || *next == "" || seen[*next] {
			return all, nil
		}
		seen[*next] = true
		token = next
	}
}

// gone reports whether err says the subject of a per-resource call no
// longer exists (deleted between the list call and this one): the subject
// is then left out rather than failing the whole file.
func gone(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	code := ae.ErrorCode()
	return strings.Contains(code, "NotFound") || strings.HasPrefix(code, "NoSuch")
}
