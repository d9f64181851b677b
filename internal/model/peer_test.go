package model

import (
	"encoding/json"
	"net/netip"
	"testing"
)

func TestPeerWithNeverChangesACopy(t *testing.T) {
	a := GroupPeer("sg-1", "111111111111", "vpc-1")
	b := a.WithAccount("222222222222")
	c := UnknownPeer("parameter without value")
	d := c.WithCandidates([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")})
	if a.Account() != "111111111111" || b.Account() != "222222222222" || b.VPCID() != "vpc-1" {
		t.Errorf("WithAccount changed its source: a=%q b=%q", a.Account(), b.Account())
	}
	if len(c.Candidates()) != 0 || len(d.Candidates()) != 1 || d.Unknown() != "parameter without value" {
		t.Errorf("WithCandidates changed its source: c=%v d=%v", c.Candidates(), d.Candidates())
	}
}

func TestPeerWithZeroValueKeepsACIDRPeerBare(t *testing.T) {
	p := Peer{Kind: PeerSecurityGroup, ID: "sg-1"}
	if q := p.WithAccount("").WithCandidates(nil); q.more != nil {
		t.Errorf("setting nothing allocated %+v", *q.more)
	}
}

func TestPeerJSONNamesEveryField(t *testing.T) {
	p := GroupPeer("sg-1", "111111111111", "vpc-1")
	p.CIDR = netip.MustParsePrefix("10.0.0.0/8")
	p.more.unknown = "why"
	p = p.WithCandidates([]netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")})
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"security-group","cidr":"10.0.0.0/8","id":"sg-1","account":"111111111111","vpcId":"vpc-1","unknown":"why","candidates":["10.1.0.0/16"]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	bare, _ := json.Marshal(Peer{Kind: PeerCIDR, CIDR: netip.MustParsePrefix("0.0.0.0/0")})
	if string(bare) != `{"kind":"cidr","cidr":"0.0.0.0/0"}` {
		t.Errorf("bare CIDR peer: %s", bare)
	}
}

func TestPeerDescribeNamesWhatMessagesSay(t *testing.T) {
	for _, c := range []struct {
		peer Peer
		want string
	}{
		{Peer{Kind: PeerCIDR, CIDR: netip.MustParsePrefix("10.0.0.0/8")}, "10.0.0.0/8"},
		{Peer{Kind: PeerPrefixList, ID: "pl-1"}, "pl-1"},
		{GroupPeer("sg-1", "111111111111", ""), "sg-1"},
		{UnknownPeer("a parameter without value"), "an unknown peer (a parameter without value)"},
		{Peer{Kind: PeerUnknown}, "an unknown peer"},
	} {
		if got := c.peer.Describe(); got != c.want {
			t.Errorf("%v: got %q, want %q", c.peer.Kind, got, c.want)
		}
	}
}
