package cloudformation

func init() {
	for t, h := range map[string]handler{
		"AWS::EC2::SubnetCidrBlock":                 {2, (*builder).subnetCidrBlock},
		"AWS::EFS::MountTarget":                     {3, (*builder).efsMountTarget},
		"AWS::ElasticLoadBalancingV2::ListenerRule": {5, (*builder).listenerRule},
	} {
		handlers[t] = h
	}
}
