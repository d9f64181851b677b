// Package collect writes a read-only snapshot of live AWS accounts in the
// snapshot layout vpcreach reads (aws_configs/<account>/<region>/*.json, each
// file what the AWS CLI prints with --output json), with a manifest.json of
// what was collected, when, by whom, and what failed.
//
// Each file is named after the call that produced it (DescribeVpcs.json
// holds {"Vpcs": [...]}). Calls whose output does not name its subject are
// written merged with it, one object per subject, in an array
// (DescribeVpcAttribute.json: [{"VpcId", "EnableDnsSupport",
// "EnableDnsHostnames"}], GetHostedZone.json: [{"HostedZone", "VPCs",
// "ResourceRecordSets"}], ...). Account-wide services (Route 53, Direct
// Connect gateways) are written to the account folder. A file whose calls
// did not all succeed is not written: the manifest says why.
//
// Only Describe/List/Get/Search operations are called: every client carries
// a middleware that refuses, before sending, any operation outside
// Operations().
package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	nfw "github.com/aws/aws-sdk-go-v2/service/networkfirewall"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
)

// Options say what to collect and how.
type Options struct {
	// Out is the snapshot folder to create. It must not exist, or be empty.
	Out string
	// Profile is the shared-config profile (else the standard chain:
	// environment, shared config, SSO, instance role...).
	Profile string
	// Regions to read; with AllRegions, every region enabled in each account
	// (DescribeRegions). Neither: the profile's or environment's region.
	Regions    []string
	AllRegions bool
	// EndpointURL sends every call there (moto, LocalStack).
	EndpointURL string
	// RoleARNs are assumed in turn through STS, one account folder each.
	// None: the caller's own account.
	RoleARNs []string
	// Concurrency bounds the calls in flight across accounts, regions and
	// services (default 8).
	Concurrency int
	// MaxAttempts and MaxBackoff tune the SDK retryer for throttling and
	// transient errors (defaults 10 and 20s).
	MaxAttempts int
	MaxBackoff  time.Duration
	// NoServerErrorRetry stops retrying HTTP 5xx answers that are not
	// throttling (an emulator's unimplemented call answers 500).
	NoServerErrorRetry bool
	// Progress receives progress updates (nil: none); Terminal draws a bar
	// per account and region instead of plain lines.
	Progress io.Writer
	Terminal bool
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// ErrNothingCollected is returned when not a single file could be
// collected; the manifest still says why.
var ErrNothingCollected = errors.New("nothing could be collected")

// Run collects the snapshot into o.Out. The snapshot is written to a
// temporary folder beside it and renamed at the end, so an interrupted run
// leaves no half snapshot. Partial failures are in the manifest; the
// error is ErrNothingCollected when nothing was, or a usage problem.
func Run(ctx context.Context, o Options) (*Manifest, error) {
	if o.Out == "" {
		return nil, errors.New("no output folder: give --out DIR")
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 20 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	out, err := filepath.Abs(o.Out)
	if err != nil {
		return nil, err
	}
	if err := checkOut(out); err != nil {
		return nil, err
	}

	r := &runner{opts: o, guard: newGuard()}
	r.manifest = &Manifest{
		SchemaVersion: 1,
		Tool:          "vpcreach collect",
		Started:       o.Now().UTC(),
		Profile:       o.Profile,
		EndpointURL:   o.EndpointURL,
	}
	base, err := r.loadConfig(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkCredentials(ctx, o, base); err != nil {
		return nil, err
	}
	if len(o.Regions) == 0 && !o.AllRegions && base.Region == "" {
		return nil, errors.New("no region: give --region or --all-regions, or set one in the profile or AWS_REGION")
	}
	if base.Region == "" {
		// --all-regions without a home region: ask STS and EC2 there.
		base.Region = "us-east-1"
	}

	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".partial-")
	if err != nil {
		return nil, fmt.Errorf("creating the snapshot folder: %w", err)
	}
	r.tmp = tmp
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()

	r.prog = newProgress(o.Progress, o.Terminal)
	accounts := r.accounts(ctx, base)
	r.collect(ctx, accounts)
	r.prog.close()
	if err := ctx.Err(); err != nil {
		return r.manifest, err
	}

	m := r.manifest
	m.Finished = o.Now().UTC()
	m.Operations = r.guard.called()
	m.sort()
	if m.Collected() == 0 {
		return m, ErrNothingCollected
	}
	data, err := EncodeManifest(m)
	if err != nil {
		return m, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "manifest.json"), data, 0o644); err != nil {
		return m, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return m, err
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		// checkOut saw it empty; Remove fails, rather than delete
		// anything, if something was put in it meanwhile.
		if err := os.Remove(out); err != nil {
			return m, fmt.Errorf("%s is no longer empty: %w", out, err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		return m, fmt.Errorf("moving the snapshot into place: %w", err)
	}
	done = true
	return m, nil
}

// checkOut refuses an --out that holds anything: collect never overwrites.
func checkOut(out string) error {
	fi, err := os.Stat(out)
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Dir(out)); err != nil {
			return fmt.Errorf("the parent of --out does not exist: %w", err)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a folder", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s already exists and is not empty: choose another --out or remove it", out)
	}
	return nil
}

type runner struct {
	opts     Options
	guard    *guard
	tmp      string
	prog     progress
	mu       sync.Mutex
	manifest *Manifest
}

// loadConfig loads the standard credential chain with the retryer.
func (r *runner) loadConfig(ctx context.Context) (aws.Config, error) {
	o := r.opts
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return boundedRetryer{RetryerV2: retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = o.MaxAttempts
				so.MaxBackoff = o.MaxBackoff
				// Throttling is expected when reading a large account:
				// back off and retry up to MaxAttempts, never give up
				// early because a client-side retry budget ran out.
				so.RateLimiter = ratelimit.None
				if o.NoServerErrorRetry {
					so.Retryables = append([]retry.IsErrorRetryable{noServerErrorRetry}, so.Retryables...)
				}
			}), otherAttempts: 3}
		}),
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if len(o.Regions) > 0 {
		opts = append(opts, config.WithRegion(o.Regions[0]))
	}
	if o.EndpointURL != "" {
		opts = append(opts, config.WithBaseEndpoint(o.EndpointURL))
	}
	// The SDK's own log lines (an IMDS fallback, say) are not for the
	// user: what matters is reported once, in the manifest or as an error.
	opts = append(opts, config.WithLogger(logging.Nop{}))
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, configError(o, err)
	}
	return cfg, nil
}

// noServerErrorRetry makes HTTP 5xx answers other than throttling final.
var noServerErrorRetry = retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary {
		return aws.UnknownTernary
	}
	if status := httpStatus(err); status >= 500 {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
})

// boundedRetryer retries throttling up to MaxAttempts but other retryable
// errors (HTTP 5xx, dropped connections) only up to otherAttempts, the
// SDK's default: a call that keeps failing is recorded, not waited on.
type boundedRetryer struct {
	aws.RetryerV2
	otherAttempts int
}

// RetryDelay ends the retries of a non-throttling error after
// otherAttempts by returning the error itself, which the SDK then reports.
func (b boundedRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) != aws.TrueTernary && attempt >= b.otherAttempts {
		return 0, err
	}
	return b.RetryerV2.RetryDelay(attempt, err)
}

// account is one account to read, with its credentials.
type account struct {
	cfg     aws.Config
	roleARN string
	id      string
	regions []string
}

func (r *runner) stsClient(cfg aws.Config) *sts.Client {
	return sts.NewFromConfig(cfg, func(so *sts.Options) { so.APIOptions = append(so.APIOptions, r.guard.add) })
}

// accounts resolves every identity (assuming roles), its account ID and
// its regions. Identities that fail are recorded in the manifest.
func (r *runner) accounts(ctx context.Context, base aws.Config) []*account {
	var idents []*account
	if len(r.opts.RoleARNs) == 0 {
		idents = append(idents, &account{cfg: base})
	}
	for _, arn := range r.opts.RoleARNs {
		cfg := base.Copy()
		provider := stscreds.NewAssumeRoleProvider(r.stsClient(base), arn, func(ao *stscreds.AssumeRoleOptions) {
			ao.RoleSessionName = "vpcreach-collect"
		})
		cfg.Credentials = aws.NewCredentialsCache(provider)
		idents = append(idents, &account{cfg: cfg, roleARN: arn})
	}
	seen := map[string]bool{}
	var out []*account
	for _, a := range idents {
		id, err := r.stsClient(a.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			r.manifest.Failed = append(r.manifest.Failed, failure("", err, a.roleARN))
			continue
		}
		a.id = aws.ToString(id.Account)
		if seen[a.id] {
			r.manifest.Failed = append(r.manifest.Failed, Failure{Message: fmt.Sprintf("account %s was already collected; %s skipped", a.id, a.roleARN)})
			continue
		}
		seen[a.id] = true
		acc := AccountResult{AccountID: a.id, ARN: aws.ToString(id.Arn), UserID: aws.ToString(id.UserId), RoleARN: a.roleARN, Folder: filepath.ToSlash(filepath.Join("aws_configs", a.id))}
		a.regions = r.opts.Regions
		if r.opts.AllRegions {
			regions, err := r.enabledRegions(ctx, a.cfg)
			if err != nil {
				acc.Failed = append(acc.Failed, failure("", err, ""))
				r.manifest.Accounts = append(r.manifest.Accounts, &acc)
				continue
			}
			a.regions = regions
		}
		if len(a.regions) == 0 {
			a.regions = []string{a.cfg.Region}
		}
		a.regions = dedupe(a.regions)
		r.manifest.Accounts = append(r.manifest.Accounts, &acc)
		out = append(out, a)
	}
	return out
}

// enabledRegions lists the regions enabled for the account.
func (r *runner) enabledRegions(ctx context.Context, cfg aws.Config) ([]string, error) {
	c := ec2.NewFromConfig(cfg, func(eo *ec2.Options) { eo.APIOptions = append(eo.APIOptions, r.guard.add) })
	out, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, err
	}
	var regions []string
	for _, reg := range out.Regions {
		regions = append(regions, aws.ToString(reg.RegionName))
	}
	sort.Strings(regions)
	return regions, nil
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// clientsFor builds the guarded clients of one account in one region.
func (r *runner) clientsFor(cfg aws.Config, region string) *clients {
	cfg = cfg.Copy()
	cfg.Region = region
	cfg.APIOptions = append(cfg.APIOptions, r.guard.add)
	return &clients{
		Region:   region,
		EC2:      ec2.NewFromConfig(cfg),
		ELBv2:    elbv2.NewFromConfig(cfg),
		ELB:      elb.NewFromConfig(cfg),
		Route53:  route53.NewFromConfig(cfg),
		Resolver: route53resolver.NewFromConfig(cfg),
		DX:       directconnect.NewFromConfig(cfg),
		NFW:      nfw.NewFromConfig(cfg),
	}
}

// job is one step for one account in one region (or account-wide).
type job struct {
	region *RegionResult
	dir    string // relative to the snapshot root
	c      *clients
	t      step
	key    string // progress line
}

// collect runs every step of every account and region, at most
// Concurrency at a time.
func (r *runner) collect(ctx context.Context, accounts []*account) {
	var jobs []job
	for _, a := range accounts {
		acc := r.manifest.account(a.id)
		addJobs := func(region, dir string, c *clients, global bool) {
			rr := &RegionResult{Region: region, Folder: filepath.ToSlash(dir)}
			if global {
				rr.Region = "global"
			}
			acc.Regions = append(acc.Regions, rr)
			key := a.id + "/" + rr.Region
			n := 0
			for _, t := range steps {
				if t.Global == global {
					jobs = append(jobs, job{region: rr, dir: dir, c: c, t: t, key: key})
					n++
				}
			}
			r.prog.add(key, n)
		}
		for i, region := range a.regions {
			c := r.clientsFor(a.cfg, region)
			if i == 0 {
				// Account-wide services, read once through the first region.
				addJobs(region, filepath.Join("aws_configs", a.id), c, true)
			}
			addJobs(region, filepath.Join("aws_configs", a.id, region), c, false)
		}
	}
	sem := make(chan struct{}, r.opts.Concurrency)
	var wg sync.WaitGroup
	for _, j := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func(j job) {
			defer wg.Done()
			defer func() { <-sem }()
			r.run(ctx, j)
			r.prog.step(j.key)
		}(j)
	}
	wg.Wait()
}

// run runs one job, writing each file it emits.
func (r *runner) run(ctx context.Context, j job) {
	j.t.Run(ctx, j.c, func(file string, v any, err error) {
		rel := filepath.Join(j.dir, file+".json")
		if err == nil {
			err = r.write(rel, v)
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if err != nil {
			j.region.Failed = append(j.region.Failed, failure(file, err, ""))
			return
		}
		j.region.Collected = append(j.region.Collected, FileResult{File: filepath.ToSlash(rel), Items: countItems(v)})
	})
}

func (r *runner) write(rel string, v any) error {
	data, err := encodeCLI(v)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", rel, err)
	}
	path := filepath.Join(r.tmp, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
