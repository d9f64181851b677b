package collect

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/aws/smithy-go/middleware"
)

// serviceIAM maps the SDK's service IDs to IAM service prefixes.
var serviceIAM = map[string]string{
	"EC2":                       "ec2",
	"Elastic Load Balancing":    "elasticloadbalancing",
	"Elastic Load Balancing v2": "elasticloadbalancing",
	"Route 53":                  "route53",
	"Route53Resolver":           "route53resolver",
	"Direct Connect":            "directconnect",
	"Network Firewall":          "network-firewall",
	"STS":                       "sts",
}

// iamService is the IAM prefix of an SDK service ID (the ID itself for a
// service collect does not know, so that a refusal still names it).
func iamService(serviceID string) string {
	if p, ok := serviceIAM[serviceID]; ok {
		return p
	}
	return serviceID
}

// Operations is every operation collect can call, as IAM actions, sorted:
// the Calls of the step table, DescribeRegions and the STS identity calls.
func Operations() []string {
	set := map[string]bool{regionCall.Action(): true}
	for _, c := range identityCalls {
		set[c.Action()] = true
	}
	for _, t := range steps {
		for _, c := range t.Calls {
			set[c.Action()] = true
		}
	}
	return sortedKeys(set)
}

// PolicyActions are the IAM actions the read-only policy must allow: every
// operation except sts:GetCallerIdentity (which needs no permission) and
// sts:AssumeRole (granted by the role's trust policy, in the caller's
// account, only with --role-arn).
func PolicyActions() []string {
	var out []string
	for _, a := range Operations() {
		if a == "sts:GetCallerIdentity" || a == "sts:AssumeRole" {
			continue
		}
		out = append(out, a)
	}
	return out
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ErrNotAllowed is returned, before anything is sent, for an operation
// outside Operations().
type ErrNotAllowed struct{ Action string }

func (e *ErrNotAllowed) Error() string {
	return fmt.Sprintf("%s is not a read-only operation vpcreach collect may call", e.Action)
}

// guard is a middleware on every client collect builds: it records each
// operation invoked and refuses, before signing or sending, any operation
// that is not in the allowed set.
type guard struct {
	allowed map[string]bool
	mu      sync.Mutex
	seen    map[string]int
}

func newGuard() *guard {
	g := &guard{allowed: map[string]bool{}, seen: map[string]int{}}
	for _, a := range Operations() {
		g.allowed[a] = true
	}
	return g
}

// ID implements middleware.InitializeMiddleware.
func (*guard) ID() string { return "vpcreachReadOnlyGuard" }

// HandleInitialize implements middleware.InitializeMiddleware.
func (g *guard) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	action := iamService(middleware.GetServiceID(ctx)) + ":" + middleware.GetOperationName(ctx)
	g.mu.Lock()
	g.seen[action]++
	g.mu.Unlock()
	if !g.allowed[action] {
		return middleware.InitializeOutput{}, middleware.Metadata{}, &ErrNotAllowed{Action: action}
	}
	return next.HandleInitialize(ctx, in)
}

// add installs the guard on a client's stack (an APIOptions entry).
func (g *guard) add(stack *middleware.Stack) error {
	return stack.Initialize.Add(g, middleware.Before)
}

// called is every action invoked so far, refused ones included, sorted.
func (g *guard) called() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	set := map[string]bool{}
	for a := range g.seen {
		set[a] = true
	}
	return sortedKeys(set)
}
