package snapshot

import "testing"

// A terminated instance is gone (describe-instances still lists it for a
// while): it never appears in the model. Other states are kept, with the
// state, for the analyses to judge.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
func TestTerminatedInstancesNeverAppear(t *testing.T) {
	n, _ := readFiles(t, map[string]string{"instances.json": `{"Reservations": [{"Instances": [
		{"InstanceId": "i-gone", "State": {"Name": "terminated"}, "SubnetId": "subnet-1", "VpcId": "vpc-1"},
		{"InstanceId": "i-off", "State": {"Name": "stopped"}, "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.0.5"},
		{"InstanceId": "i-on", "State": {"Name": "running"}, "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.0.6"}]}]}`})
	if _, ok := n.Instances.Get("i-gone"); ok {
		t.Error("terminated instance read")
	}
	for id, state := range map[string]string{"i-off": "stopped", "i-on": "running"} {
		in, ok := n.Instances.Get(id)
		if !ok || in.State != state {
			t.Errorf("%s: %v %+v, want state %s", id, ok, in, state)
		}
	}
}
