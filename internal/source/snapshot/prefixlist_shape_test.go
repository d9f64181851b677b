package snapshot

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// describe-managed-prefix-lists prints its lists under "PrefixLists", the
// key describe-prefix-lists uses too, but without entries: such a list must
// stay unknown until get-managed-prefix-list-entries output fills it.
func TestManagedPrefixListWithoutEntriesStaysUnknown(t *testing.T) {
	list := `{"PrefixLists": [{"PrefixListId": "pl-0abc", "AddressFamily": "IPv4", "State": "create-complete", "PrefixListName": "corp", "MaxEntries": 5, "OwnerId": "123456789012"}]}`
	entries := `{"PrefixListId": "pl-0abc", "Entries": [{"Cidr": "192.0.2.0/24", "Description": "office"}]}`
	for _, tt := range []struct {
		name      string
		files     map[string]string
		known     bool
		wantEntry bool
	}{
		{"list alone", map[string]string{"mpl.json": list}, false, false},
		{"list then entries", map[string]string{"a.json": list, "b.json": entries}, true, true},
		{"entries then list", map[string]string{"a.json": entries, "b.json": list}, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			n := &model.Network{}
			if err := Read(dir, n); err != nil {
				t.Fatal(err)
			}
			n.Finalize()
			p, ok := n.PrefixLists.Get("pl-0abc")
			if !ok {
				t.Fatal("prefix list not read")
			}
			if p.EntriesKnown != tt.known {
				t.Errorf("EntriesKnown = %v; want %v", p.EntriesKnown, tt.known)
			}
			has := len(p.Entries) == 1 && p.Entries[0] == netip.MustParsePrefix("192.0.2.0/24")
			if has != tt.wantEntry {
				t.Errorf("entries = %v", p.Entries)
			}
		})
	}
}
