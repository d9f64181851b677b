package synth

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// kind is one snapshot file per account and region.
type kind int

const (
	kVPCs kind = iota
	kVPCAttributes
	kDHCPOptions
	kPrefixLists
	kPrefixListEntries
	kSubnets
	kRouteTables
	kInternetGateways
	kNATGateways
	kAddresses
	kSecurityGroups
	kNetworkACLs
	kNetworkInterfaces
	kReservations
	kPeerings
	kTransitGateways
	kTGWAttachments
	kTGWVPCAttachments
	kTGWRouteTables
	kTGWAssociations
	kTGWPropagations
	kTGWRoutes
	kLoadBalancers
	kListeners
	kTargetGroups
	kTargetHealth
	kHostedZones
	numKinds
)

// kindFile names each kind's file and the top-level key the AWS CLI prints.
// An empty key is a merged file (inputs.md §1): an array of objects that
// each carry their subject's identifier.
var kindFile = [numKinds]struct{ file, key string }{
	kVPCs:              {"Vpcs.json", "Vpcs"},
	kVPCAttributes:     {"VpcAttributes.json", ""},
	kDHCPOptions:       {"DhcpOptions.json", "DhcpOptions"},
	kPrefixLists:       {"ManagedPrefixLists.json", "PrefixLists"},
	kPrefixListEntries: {"ManagedPrefixListEntries.json", ""},
	kSubnets:           {"Subnets.json", "Subnets"},
	kRouteTables:       {"RouteTables.json", "RouteTables"},
	kInternetGateways:  {"InternetGateways.json", "InternetGateways"},
	kNATGateways:       {"NatGateways.json", "NatGateways"},
	kAddresses:         {"Addresses.json", "Addresses"},
	kSecurityGroups:    {"SecurityGroups.json", "SecurityGroups"},
	kNetworkACLs:       {"NetworkAcls.json", "NetworkAcls"},
	kNetworkInterfaces: {"NetworkInterfaces.json", "NetworkInterfaces"},
	kReservations:      {"Reservations.json", "Reservations"},
	kPeerings:          {"VpcPeeringConnections.json", "VpcPeeringConnections"},
	kTransitGateways:   {"TransitGateways.json", "TransitGateways"},
	kTGWAttachments:    {"TransitGatewayAttachments.json", "TransitGatewayAttachments"},
	kTGWVPCAttachments: {"TransitGatewayVpcAttachments.json", "TransitGatewayVpcAttachments"},
	kTGWRouteTables:    {"TransitGatewayRouteTables.json", "TransitGatewayRouteTables"},
	kTGWAssociations:   {"TransitGatewayRouteTableAssociations.json", ""},
	kTGWPropagations:   {"TransitGatewayRouteTablePropagations.json", ""},
	kTGWRoutes:         {"TransitGatewayRoutes.json", ""},
	kLoadBalancers:     {"LoadBalancers.json", "LoadBalancers"},
	kListeners:         {"LoadBalancerListeners.json", ""},
	kTargetGroups:      {"TargetGroups.json", "TargetGroups"},
	kTargetHealth:      {"LoadBalancerTargetHealth.json", ""},
	kHostedZones:       {"HostedZones.json", ""},
}

// batch holds JSON values per kind, comma-separated, ready to append to a
// file. Values are encoded as they are produced so that a batch costs its
// bytes, not its objects.
type batch struct {
	buf   [numKinds]bytes.Buffer
	enc   [numKinds]*json.Encoder
	count [numKinds]int
	// extra counts what is not one value per kind (rules, instances, records).
	extra map[string]int
	err   error
}

// batches are reused: their buffers keep the capacity the last VPC needed.
var batches = sync.Pool{New: func() any {
	b := &batch{extra: map[string]int{}}
	for k := range numKinds {
		b.enc[k] = json.NewEncoder(&b.buf[k])
		b.enc[k].SetEscapeHTML(false)
	}
	return b
}}

func newBatch() *batch { return batches.Get().(*batch) }

// release returns b to the pool, empty.
func (b *batch) release() {
	for k := range numKinds {
		b.buf[k].Reset()
		b.count[k] = 0
	}
	clear(b.extra)
	b.err = nil
	batches.Put(b)
}

// add encodes v as the next value of kind k (each value on its own line).
func (b *batch) add(k kind, v any) {
	if b.err != nil {
		return
	}
	if b.count[k] > 0 {
		b.buf[k].WriteByte(',')
	}
	if err := b.enc[k].Encode(v); err != nil {
		b.err = fmt.Errorf("encoding %s: %w", kindFile[k].file, err)
		return
	}
	b.count[k]++
}

// scopeFiles writes the files of one account and region. A file is
// created on its first value, so kinds with nothing to say leave no file.
type scopeFiles struct {
	dir   string
	files [numKinds]*os.File
	w     [numKinds]*bufio.Writer
	count [numKinds]int
}

func (s *scopeFiles) write(b *batch) error {
	for k := range numKinds {
		if b.count[k] == 0 {
			continue
		}
		if s.w[k] == nil {
			if err := s.open(k); err != nil {
				return err
			}
		}
		w := s.w[k]
		if s.count[k] > 0 {
			w.WriteByte(',')
		}
		if _, err := w.Write(b.buf[k].Bytes()); err != nil {
			return fmt.Errorf("writing %s: %w", filepath.Join(s.dir, kindFile[k].file), err)
		}
		s.count[k] += b.count[k]
	}
	return nil
}

func (s *scopeFiles) open(k kind) error {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(s.dir, kindFile[k].file))
	if err != nil {
		return err
	}
	s.files[k] = f
	s.w[k] = bufio.NewWriterSize(f, 1<<16)
	if key := kindFile[k].key; key != "" {
		fmt.Fprintf(s.w[k], "{%q: [\n", key)
	} else {
		s.w[k].WriteString("[\n")
	}
	return nil
}

// close ends every open file; it reports the first error.
func (s *scopeFiles) close() error {
	var first error
	for k := range numKinds {
		if s.w[k] == nil {
			continue
		}
		w := s.w[k]
		if kindFile[k].key != "" {
			w.WriteString("]}\n")
		} else {
			w.WriteString("]\n")
		}
		if err := w.Flush(); err != nil && first == nil {
			first = fmt.Errorf("writing %s: %w", s.files[k].Name(), err)
		}
		if err := s.files[k].Close(); err != nil && first == nil {
			first = err
		}
		s.w[k] = nil
	}
	return first
}
