package reach

import (
	"net/netip"
	"testing"

	"github.com/vpcreach/vpcreach/internal/ipset"
)

// FuzzSuricata: any rules text is read into rules or errors naming their
// line, and every rule into a match space, never a panic.
func FuzzSuricata(f *testing.F) {
	for _, s := range []string{
		"pass tcp $HOME_NET any -> any 443 (flow:to_server; sid:1;)",
		"drop ip any any -> [10.0.0.0/8,!10.1.0.0/16] ![22,1024:] (msg:\"x;y\"; sid:2;)",
		"alert http any any <> $EXTERNAL_NET $WEB (http.host; content:\"a\"; sid:3;)\n# comment\n",
		"reject tls any any -> any any (tls.sni; content:\".ru\"; endswith; ip_proto:!TCP; sid:4;)",
		"pass tcp [ any -> any (",
	} {
		f.Add(s)
	}
	home := SetOf([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")})
	f.Fuzz(func(t *testing.T, text string) {
		rs, _ := parseSuricata(text, 1)
		v := &vars{ip: map[string]*ipset.Set{"WEBNET": home}, ports: map[string][]string{"WEB": {"80", "443"}}, home: home}
		for i := range rs {
			rv := rs[i].view(v)
			for _, c := range rv.space {
				_ = c.Empty()
			}
		}
	})
}
