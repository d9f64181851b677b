// Package snapshot reads AWS API output (describe-*/list-*/get-* JSON, the
// Batfish snapshot layout) into the model.
//
// A snapshot is a folder laid out as
//
//	<snapshot>/[aws_configs/][<account>/][<region>/]*.json
//
// File names do not matter: the content is recognised by its top-level keys
// (Vpcs, Subnets, RouteTables, ...). A file holds one object or an array of
// objects; placebo recordings ({"status_code": 200, "data": {...}}) are
// unwrapped; outputs that do not name their subject are stored merged with
// the subject's identifier ({"VpcId": ..., "EnableDnsSupport": ...},
// {"TransitGatewayRouteTableId": ..., "Routes": [...]}, ...). The account
// and region of each element come from the folder names, else from the
// element itself (OwnerId, availability zone, ARN), else from the other
// elements of the same folder.
//
// Hidden files and folders are skipped; symbolic links are followed, to
// files and to folders, and a folder reached twice (a link back to a
// parent) is read once, with a symlink-loop warning; a link that leads
// nowhere is a broken-symlink warning.
//
// Reading nothing is an error (*diag.Error, exit 2), never an empty
// network: an empty folder (empty-folder), JSON none of whose files holds
// AWS API output (no-aws-output), a folder of Terraform plans or state
// (terraform-folder: each is a SOURCE of its own), a folder of CloudFormation templates
// (templates-folder, naming them: each template is its own stack and is
// given as a SOURCE of its own). Templates and Terraform files beside AWS
// API output are named in not-read warnings.
//
// Values AWS would never hold are bad-value errors at their line, never
// repaired: ports outside 0-65535 or a FromPort above the ToPort (AWS's -1
// for every port, and for every ICMP type and code, stays), ICMP types and
// codes past 255, network ACL rule numbers outside 1-32767, prefixes past
// /32 or /128, unknown protocols, numbers that are not integers.
//
// An element read twice (the same ID in two files, or in two SOURCEs) is
// merged field by field. A field one record leaves empty is filled from
// the other (outputs that each give part of a resource). Identical records
// merge without a word: the account and region, which come from the
// folder, and where each was read do not count, so a peering connection
// listed in both accounts' folders is one. Records that differ:
//
//   - in the Name tag or tags: a conflicting-duplicate warning, the first
//     kept (tags do not change what can reach what); none when the copies
//     come from two accounts, which each tag a resource they share (a
//     peering connection) on their own;
//   - in a security group's rules: a conflicting-duplicate warning naming
//     both files and lines, and the group holds the rules of both
//     versions: a rule both have as it is, a rule only one has with its
//     protocol and ports but an unknown peer, so that what it allows is
//     possibly-reachable from any address, neither reachable nor a silent
//     no;
//   - in anything else (routes, a CIDR, a security group's VPC, ...): a
//     conflicting-duplicate error naming both files and lines, exit 2;
//     vpcreach does not choose between two versions of a resource.
//
// The two records of a transit gateway peering attachment, one from each
// gateway's side, are not a conflict.
package snapshot

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/limits"
	"github.com/vpcreach/vpcreach/internal/source/srcfile"
)

// Read reads a snapshot folder, or a single JSON file of AWS API output,
// into n. Elements with an ID already in n are merged (fields n lacks are
// filled). Input that cannot be read is a *diag.Error.
func Read(path string, n *model.Network) error {
	return read(context.Background(), path, n, workers(), limits.Limits{})
}

// ReadContext is Read within the bounds lim (see docs/limits.md),
// stopping with ctx's error soon after ctx is cancelled: between files and
// every few elements of a file.
func ReadContext(ctx context.Context, path string, n *model.Network, lim limits.Limits) error {
	return read(ctx, path, n, workers(), lim)
}

// read is Read decoding up to workers files at once.
func read(ctx context.Context, path string, n *model.Network, workers int, lim limits.Limits) error {
	fi, err := os.Stat(path)
	if err != nil {
		return &diag.Error{File: path, Code: "unreadable", Message: "cannot read snapshot", Err: err}
	}
	if !fi.IsDir() && !fi.Mode().IsRegular() {
		return srcfile.NotRegular(path, fi.Mode())
	}
	r := newReader(n)
	r.ctx = ctx
	r.limits = lim
	if !fi.IsDir() {
		if err := r.readFile(path); err != nil {
			return err
		}
		if r.filesRead == 0 {
			return r.nothingRead(path, false, []string{path}, nil)
		}
		r.warnNotRead()
		r.finish()
		return r.fatal
	}
	var files []string
	walkRoot := path
	if fi, err := os.Stat(filepath.Join(path, "aws_configs")); err == nil && fi.IsDir() {
		// A Batfish snapshot: the other folders (configs/, hosts/, batfish/)
		// hold device configurations, not AWS output. collect's manifest
		// sits beside aws_configs/.
		walkRoot = filepath.Join(path, "aws_configs")
		if fi, err := os.Stat(filepath.Join(path, "manifest.json")); err == nil && fi.Mode().IsRegular() {
			files = append(files, filepath.Join(path, "manifest.json"))
		}
	}
	found, others, err := r.walk(walkRoot)
	if err != nil {
		return err
	}
	files = append(files, found...)
	sort.Strings(files)
	if err := r.readFiles(files, workers); err != nil {
		return err
	}
	if r.filesRead == 0 {
		return r.nothingRead(path, true, files, others)
	}
	for _, o := range others {
		if isTemplateName(o) {
			r.skip(o, kindTemplate)
		}
	}
	r.warnNotRead()
	r.finish()
	return r.fatal
}

// walk lists the snapshot files under root, and the other files beside
// them. Hidden files and folders are left out. Symbolic links are
// followed, to files and to folders; a folder already walked (a link
// back to a parent, or a second link to the same folder) is not walked
// again, with a warning, and a link that leads nowhere is a warning.
func (r *reader) walk(root string) (files, others []string, err error) {
	walked := map[string]string{} // real path -> path walked under
	var walk func(dir string) error
	walk = func(dir string) error {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			real, err = filepath.Abs(real)
		}
		if err != nil {
			return &diag.Error{File: dir, Code: "unreadable", Message: "cannot read snapshot folder", Err: err}
		}
		if first, ok := walked[real]; ok {
			r.n.Warnf("symlink-loop", model.Origin{File: dir}, "", "a link to folder %s, already read as %s: not read again", real, first)
			return nil
		}
		walked[real] = dir
		entries, err := os.ReadDir(dir)
		if err != nil {
			return &diag.Error{File: dir, Code: "unreadable", Message: "cannot read snapshot folder", Err: err}
		}
		for _, d := range entries {
			p := filepath.Join(dir, d.Name())
			if strings.HasPrefix(d.Name(), ".") {
				continue
			}
			mode := d.Type()
			if mode&fs.ModeSymlink != 0 {
				fi, err := os.Stat(p)
				if err != nil {
					r.n.Warnf("broken-symlink", model.Origin{File: p}, "", "a symbolic link that cannot be followed: not read: %v", err)
					continue
				}
				mode = fi.Mode().Type()
			}
			switch {
			case mode.IsDir():
				if err := walk(p); err != nil {
					return err
				}
			case mode.IsRegular():
				if isSnapshotFile(p) {
					files = append(files, p)
				} else {
					others = append(others, p)
				}
			}
		}
		return nil
	}
	if err := walk(root); err != nil {
		return nil, nil, err
	}
	return files, others, nil
}

// workers is how many files are decoded at once: one per core.
func workers() int { return runtime.GOMAXPROCS(0) }

// readFiles reads files in order. With more than one worker, files are
// decoded ahead in parallel (decoding touches no shared state) while the
// decoded files are added to the network strictly in the order given, so
// the network, its warnings and the first error reported are the same as
// when reading one file after another.
func (r *reader) readFiles(files []string, workers int) error {
	ctx := r.context()
	if workers <= 1 || len(files) <= 1 {
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := r.readFile(f); err != nil {
				return err
			}
		}
		return nil
	}
	// At most window files are decoded and not yet applied, which bounds
	// the memory held by decoded files.
	window := 2 * workers
	results := make([]chan *parsed, len(files))
	for i := range results {
		results[i] = make(chan *parsed, 1)
	}
	jobs := make(chan int)
	slots := make(chan struct{}, window)
	done := make(chan struct{})
	// On return, stop handing out files and wait for the workers to
	// finish the file each may be reading.
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(done)
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case slots <- struct{}{}:
			case <-done:
				return
			}
			select {
			case jobs <- i:
			case <-done:
				return
			}
		}
	}()
	// Buffers of files applied are read into again.
	buffers := make(chan []byte, window)
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				var buf []byte
				select {
				case buf = <-buffers:
				default:
					buf = make([]byte, 0, 64<<10)
				}
				results[i] <- parseFile(ctx, r.limits, files[i], buf)
			}
		})
	}
	for i := range files {
		var p *parsed
		select {
		case p = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		results[i] = nil
		data := p.data
		err := r.apply(p)
		select {
		case buffers <- data[:0]:
		default:
		}
		<-slots
		if err != nil {
			return err
		}
	}
	return nil
}

// isSnapshotFile selects *.json files, and files without extension that
// start like JSON (some tools store API output under the resource ID).
func isSnapshotFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".json":
		return true
	case "":
	default:
		return false
	}
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64)
	k, _ := f.Read(head)
	t := bytes.TrimSpace(head[:k])
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

var (
	regionRe  = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$`)
	accountRe = regexp.MustCompile(`^[0-9]{12}$`)
	// fileRegionRe finds a region suffix in a file name: Vpcs-us-west-2.json.
	fileRegionRe = regexp.MustCompile(`-([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]+)$`)
)

// scopeOf derives the account and region a file's elements belong to from
// its path: a folder named like a region, a 12-digit folder or any folder
// directly under "accounts" (Batfish's multi-account layout), a region
// suffix in the file name.
func scopeOf(file string) (account, region string) {
	parts := strings.Split(filepath.ToSlash(filepath.Clean(file)), "/")
	for i, c := range parts[:len(parts)-1] {
		switch {
		case regionRe.MatchString(c):
			region = c
		case accountRe.MatchString(c):
			account = c
		case i > 0 && parts[i-1] == "accounts":
			account = c
		}
	}
	base := strings.TrimSuffix(parts[len(parts)-1], filepath.Ext(parts[len(parts)-1]))
	if m := fileRegionRe.FindStringSubmatch(base); m != nil {
		region = m[1]
	}
	return account, region
}

// regionOfAZ turns an availability zone name (us-east-1a, us-west-2-lax-1a)
// into its region.
func regionOfAZ(az string) string {
	if az == "" {
		return ""
	}
	// Local zones: us-west-2-lax-1a -> us-west-2.
	parts := strings.Split(az, "-")
	for k := len(parts); k >= 3; k-- {
		cand := strings.Join(parts[:k], "-")
		if regionRe.MatchString(cand) {
			return cand
		}
	}
	if len(az) > 1 {
		c := strings.TrimRight(az, "abcdefghijklmnopqrstuvwxyz")
		if c != az && regionRe.MatchString(c) {
			return c
		}
	}
	return ""
}

// arnScope returns the region and account of an ARN.
func arnScope(arn string) (region, account string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return "", ""
	}
	return parts[3], parts[4]
}
