package synth

// The structs below are the JSON shapes the AWS CLI prints for the
// describe-*/list-*/get-* calls a snapshot holds (field names and nesting
// as in `aws ec2 describe-vpcs --output json` and friends). Empty lists are
// left out, as some recorders do; readers must accept both.

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

func nameTag(v string) []tag { return []tag{{"Name", v}} }

type jsonVPC struct {
	CidrBlock               string      `json:"CidrBlock"`
	CidrBlockAssociationSet []cidrAssoc `json:"CidrBlockAssociationSet"`
	DhcpOptionsID           string      `json:"DhcpOptionsId"`
	InstanceTenancy         string      `json:"InstanceTenancy"`
	IsDefault               bool        `json:"IsDefault"`
	OwnerID                 string      `json:"OwnerId"`
	State                   string      `json:"State"`
	Tags                    []tag       `json:"Tags,omitempty"`
	VpcID                   string      `json:"VpcId"`
}

type cidrAssoc struct {
	AssociationID  string     `json:"AssociationId"`
	CidrBlock      string     `json:"CidrBlock"`
	CidrBlockState stateField `json:"CidrBlockState"`
}

type stateField struct {
	State string `json:"State"`
}

type boolValue struct {
	Value bool `json:"Value"`
}

// jsonVPCAttributes is describe-vpc-attribute for both DNS attributes,
// merged with the VPC ID (inputs.md §1).
type jsonVPCAttributes struct {
	VpcID              string    `json:"VpcId"`
	EnableDNSSupport   boolValue `json:"EnableDnsSupport"`
	EnableDNSHostnames boolValue `json:"EnableDnsHostnames"`
}

type jsonSubnet struct {
	AssignIpv6AddressOnCreation bool   `json:"AssignIpv6AddressOnCreation"`
	AvailabilityZone            string `json:"AvailabilityZone"`
	AvailabilityZoneID          string `json:"AvailabilityZoneId"`
	AvailableIPAddressCount     int    `json:"AvailableIpAddressCount"`
	CidrBlock                   string `json:"CidrBlock"`
	DefaultForAz                bool   `json:"DefaultForAz"`
	MapPublicIPOnLaunch         bool   `json:"MapPublicIpOnLaunch"`
	OwnerID                     string `json:"OwnerId"`
	State                       string `json:"State"`
	SubnetArn                   string `json:"SubnetArn"`
	SubnetID                    string `json:"SubnetId"`
	Tags                        []tag  `json:"Tags,omitempty"`
	VpcID                       string `json:"VpcId"`
}

type jsonRouteTable struct {
	Associations    []rtAssoc  `json:"Associations"`
	OwnerID         string     `json:"OwnerId"`
	PropagatingVgws []struct{} `json:"PropagatingVgws"`
	RouteTableID    string     `json:"RouteTableId"`
	Routes          []route    `json:"Routes"`
	Tags            []tag      `json:"Tags,omitempty"`
	VpcID           string     `json:"VpcId"`
}

type rtAssoc struct {
	AssociationState        stateField `json:"AssociationState"`
	Main                    bool       `json:"Main"`
	RouteTableAssociationID string     `json:"RouteTableAssociationId"`
	RouteTableID            string     `json:"RouteTableId"`
	SubnetID                string     `json:"SubnetId,omitempty"`
}

type route struct {
	DestinationCidrBlock    string `json:"DestinationCidrBlock,omitempty"`
	DestinationPrefixListID string `json:"DestinationPrefixListId,omitempty"`
	GatewayID               string `json:"GatewayId,omitempty"`
	NatGatewayID            string `json:"NatGatewayId,omitempty"`
	TransitGatewayID        string `json:"TransitGatewayId,omitempty"`
	VpcPeeringConnectionID  string `json:"VpcPeeringConnectionId,omitempty"`
	Origin                  string `json:"Origin"`
	State                   string `json:"State"`
}

type jsonIGW struct {
	Attachments       []igwAttachment `json:"Attachments"`
	InternetGatewayID string          `json:"InternetGatewayId"`
	OwnerID           string          `json:"OwnerId"`
	Tags              []tag           `json:"Tags,omitempty"`
}

type igwAttachment struct {
	State string `json:"State"`
	VpcID string `json:"VpcId"`
}

type jsonNAT struct {
	ConnectivityType    string       `json:"ConnectivityType"`
	CreateTime          string       `json:"CreateTime"`
	NatGatewayAddresses []natAddress `json:"NatGatewayAddresses"`
	NatGatewayID        string       `json:"NatGatewayId"`
	State               string       `json:"State"`
	SubnetID            string       `json:"SubnetId"`
	Tags                []tag        `json:"Tags,omitempty"`
	VpcID               string       `json:"VpcId"`
}

type natAddress struct {
	AllocationID       string `json:"AllocationId"`
	AssociationID      string `json:"AssociationId"`
	IsPrimary          bool   `json:"IsPrimary"`
	NetworkInterfaceID string `json:"NetworkInterfaceId"`
	PrivateIP          string `json:"PrivateIp"`
	PublicIP           string `json:"PublicIp"`
	Status             string `json:"Status"`
}

type jsonAddress struct {
	AllocationID            string `json:"AllocationId"`
	AssociationID           string `json:"AssociationId"`
	Domain                  string `json:"Domain"`
	InstanceID              string `json:"InstanceId,omitempty"`
	NetworkBorderGroup      string `json:"NetworkBorderGroup"`
	NetworkInterfaceID      string `json:"NetworkInterfaceId"`
	NetworkInterfaceOwnerID string `json:"NetworkInterfaceOwnerId"`
	PrivateIPAddress        string `json:"PrivateIpAddress"`
	PublicIP                string `json:"PublicIp"`
	PublicIpv4Pool          string `json:"PublicIpv4Pool"`
}

type jsonSG struct {
	Description         string       `json:"Description"`
	GroupID             string       `json:"GroupId"`
	GroupName           string       `json:"GroupName"`
	IPPermissions       []permission `json:"IpPermissions"`
	IPPermissionsEgress []permission `json:"IpPermissionsEgress"`
	OwnerID             string       `json:"OwnerId"`
	Tags                []tag        `json:"Tags,omitempty"`
	VpcID               string       `json:"VpcId"`
}

type permission struct {
	FromPort         *int        `json:"FromPort,omitempty"`
	IPProtocol       string      `json:"IpProtocol"`
	IPRanges         []ipRange   `json:"IpRanges,omitempty"`
	Ipv6Ranges       []ipv6Range `json:"Ipv6Ranges,omitempty"`
	PrefixListIDs    []prefixRef `json:"PrefixListIds,omitempty"`
	ToPort           *int        `json:"ToPort,omitempty"`
	UserIDGroupPairs []groupPair `json:"UserIdGroupPairs,omitempty"`
}

// peers is how many rules (AWS counts one per source or destination) a
// permission holds.
func (p *permission) peers() int {
	return len(p.IPRanges) + len(p.Ipv6Ranges) + len(p.PrefixListIDs) + len(p.UserIDGroupPairs)
}

type ipRange struct {
	CidrIP      string `json:"CidrIp"`
	Description string `json:"Description,omitempty"`
}

type ipv6Range struct {
	CidrIpv6 string `json:"CidrIpv6"`
}

type prefixRef struct {
	PrefixListID string `json:"PrefixListId"`
}

type groupPair struct {
	GroupID string `json:"GroupId"`
	UserID  string `json:"UserId"`
}

type jsonNACL struct {
	Associations []naclAssoc `json:"Associations"`
	Entries      []naclEntry `json:"Entries"`
	IsDefault    bool        `json:"IsDefault"`
	NetworkACLID string      `json:"NetworkAclId"`
	OwnerID      string      `json:"OwnerId"`
	Tags         []tag       `json:"Tags,omitempty"`
	VpcID        string      `json:"VpcId"`
}

type naclAssoc struct {
	NetworkACLAssociationID string `json:"NetworkAclAssociationId"`
	NetworkACLID            string `json:"NetworkAclId"`
	SubnetID                string `json:"SubnetId"`
}

type naclEntry struct {
	CidrBlock  string     `json:"CidrBlock"`
	Egress     bool       `json:"Egress"`
	PortRange  *portRange `json:"PortRange,omitempty"`
	Protocol   string     `json:"Protocol"`
	RuleAction string     `json:"RuleAction"`
	RuleNumber int        `json:"RuleNumber"`
}

type portRange struct {
	From int `json:"From"`
	To   int `json:"To"`
}

type jsonENI struct {
	Association        *eniAssociation `json:"Association,omitempty"`
	Attachment         *eniAttachment  `json:"Attachment,omitempty"`
	AvailabilityZone   string          `json:"AvailabilityZone"`
	Description        string          `json:"Description"`
	Groups             []groupRef      `json:"Groups"`
	InterfaceType      string          `json:"InterfaceType"`
	MacAddress         string          `json:"MacAddress"`
	NetworkInterfaceID string          `json:"NetworkInterfaceId"`
	OwnerID            string          `json:"OwnerId"`
	PrivateDNSName     string          `json:"PrivateDnsName"`
	PrivateIPAddress   string          `json:"PrivateIpAddress"`
	PrivateIPAddresses []eniPrivateIP  `json:"PrivateIpAddresses"`
	RequesterID        string          `json:"RequesterId,omitempty"`
	RequesterManaged   bool            `json:"RequesterManaged"`
	SourceDestCheck    bool            `json:"SourceDestCheck"`
	Status             string          `json:"Status"`
	SubnetID           string          `json:"SubnetId"`
	VpcID              string          `json:"VpcId"`
}

type eniAssociation struct {
	AllocationID  string `json:"AllocationId,omitempty"`
	AssociationID string `json:"AssociationId,omitempty"`
	IPOwnerID     string `json:"IpOwnerId"`
	PublicDNSName string `json:"PublicDnsName"`
	PublicIP      string `json:"PublicIp"`
}

type eniAttachment struct {
	AttachmentID        string `json:"AttachmentId"`
	DeleteOnTermination bool   `json:"DeleteOnTermination"`
	DeviceIndex         int    `json:"DeviceIndex"`
	InstanceID          string `json:"InstanceId,omitempty"`
	InstanceOwnerID     string `json:"InstanceOwnerId"`
	Status              string `json:"Status"`
}

type eniPrivateIP struct {
	Association      *eniAssociation `json:"Association,omitempty"`
	Primary          bool            `json:"Primary"`
	PrivateDNSName   string          `json:"PrivateDnsName"`
	PrivateIPAddress string          `json:"PrivateIpAddress"`
}

type groupRef struct {
	GroupID   string `json:"GroupId"`
	GroupName string `json:"GroupName"`
}

type jsonReservation struct {
	Groups        []struct{}     `json:"Groups"`
	Instances     []jsonInstance `json:"Instances"`
	OwnerID       string         `json:"OwnerId"`
	ReservationID string         `json:"ReservationId"`
}

type jsonInstance struct {
	ImageID           string        `json:"ImageId"`
	InstanceID        string        `json:"InstanceId"`
	InstanceType      string        `json:"InstanceType"`
	LaunchTime        string        `json:"LaunchTime"`
	NetworkInterfaces []instanceENI `json:"NetworkInterfaces"`
	Placement         placement     `json:"Placement"`
	PrivateDNSName    string        `json:"PrivateDnsName"`
	PrivateIPAddress  string        `json:"PrivateIpAddress"`
	PublicDNSName     string        `json:"PublicDnsName"`
	PublicIPAddress   string        `json:"PublicIpAddress,omitempty"`
	SecurityGroups    []groupRef    `json:"SecurityGroups"`
	SourceDestCheck   bool          `json:"SourceDestCheck"`
	State             instanceState `json:"State"`
	SubnetID          string        `json:"SubnetId"`
	Tags              []tag         `json:"Tags,omitempty"`
	VpcID             string        `json:"VpcId"`
}

// instanceENI is an interface as describe-instances prints it: its
// attachment and association carry fewer fields than describe-network-interfaces'.
type instanceENI struct {
	Association        *instanceAssociation `json:"Association,omitempty"`
	Attachment         instanceAttachment   `json:"Attachment"`
	Description        string               `json:"Description"`
	Groups             []groupRef           `json:"Groups"`
	MacAddress         string               `json:"MacAddress"`
	NetworkInterfaceID string               `json:"NetworkInterfaceId"`
	OwnerID            string               `json:"OwnerId"`
	PrivateIPAddress   string               `json:"PrivateIpAddress"`
	PrivateIPAddresses []instancePrivateIP  `json:"PrivateIpAddresses"`
	SourceDestCheck    bool                 `json:"SourceDestCheck"`
	Status             string               `json:"Status"`
	SubnetID           string               `json:"SubnetId"`
	VpcID              string               `json:"VpcId"`
}

type instanceAttachment struct {
	AttachmentID        string `json:"AttachmentId"`
	DeleteOnTermination bool   `json:"DeleteOnTermination"`
	DeviceIndex         int    `json:"DeviceIndex"`
	Status              string `json:"Status"`
}

type instanceAssociation struct {
	IPOwnerID     string `json:"IpOwnerId"`
	PublicDNSName string `json:"PublicDnsName"`
	PublicIP      string `json:"PublicIp"`
}

type instancePrivateIP struct {
	Association      *instanceAssociation `json:"Association,omitempty"`
	Primary          bool                 `json:"Primary"`
	PrivateDNSName   string               `json:"PrivateDnsName"`
	PrivateIPAddress string               `json:"PrivateIpAddress"`
}

type placement struct {
	AvailabilityZone string `json:"AvailabilityZone"`
	Tenancy          string `json:"Tenancy"`
}

type instanceState struct {
	Code int    `json:"Code"`
	Name string `json:"Name"`
}

type jsonPeering struct {
	AccepterVpcInfo        peeringVPCInfo `json:"AccepterVpcInfo"`
	RequesterVpcInfo       peeringVPCInfo `json:"RequesterVpcInfo"`
	Status                 peeringStatus  `json:"Status"`
	Tags                   []tag          `json:"Tags,omitempty"`
	VpcPeeringConnectionID string         `json:"VpcPeeringConnectionId"`
}

type peeringVPCInfo struct {
	CidrBlock      string         `json:"CidrBlock"`
	CidrBlockSet   []cidrOnly     `json:"CidrBlockSet"`
	OwnerID        string         `json:"OwnerId"`
	PeeringOptions peeringOptions `json:"PeeringOptions"`
	Region         string         `json:"Region"`
	VpcID          string         `json:"VpcId"`
}

type cidrOnly struct {
	CidrBlock string `json:"CidrBlock"`
}

type peeringOptions struct {
	AllowDNSResolutionFromRemoteVpc bool `json:"AllowDnsResolutionFromRemoteVpc"`
}

type peeringStatus struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

type jsonTGW struct {
	Description       string     `json:"Description"`
	Options           tgwOptions `json:"Options"`
	OwnerID           string     `json:"OwnerId"`
	State             string     `json:"State"`
	Tags              []tag      `json:"Tags,omitempty"`
	TransitGatewayArn string     `json:"TransitGatewayArn"`
	TransitGatewayID  string     `json:"TransitGatewayId"`
}

type tgwOptions struct {
	AmazonSideAsn                  int    `json:"AmazonSideAsn"`
	AssociationDefaultRouteTableID string `json:"AssociationDefaultRouteTableId"`
	AutoAcceptSharedAttachments    string `json:"AutoAcceptSharedAttachments"`
	DefaultRouteTableAssociation   string `json:"DefaultRouteTableAssociation"`
	DefaultRouteTablePropagation   string `json:"DefaultRouteTablePropagation"`
	DNSSupport                     string `json:"DnsSupport"`
	PropagationDefaultRouteTableID string `json:"PropagationDefaultRouteTableId"`
	VpnEcmpSupport                 string `json:"VpnEcmpSupport"`
}

type jsonTGWAttachment struct {
	Association                *tgwAssocRef `json:"Association,omitempty"`
	ResourceID                 string       `json:"ResourceId"`
	ResourceOwnerID            string       `json:"ResourceOwnerId"`
	ResourceType               string       `json:"ResourceType"`
	State                      string       `json:"State"`
	Tags                       []tag        `json:"Tags,omitempty"`
	TransitGatewayAttachmentID string       `json:"TransitGatewayAttachmentId"`
	TransitGatewayID           string       `json:"TransitGatewayId"`
	TransitGatewayOwnerID      string       `json:"TransitGatewayOwnerId"`
}

type tgwAssocRef struct {
	State                      string `json:"State"`
	TransitGatewayRouteTableID string `json:"TransitGatewayRouteTableId"`
}

type jsonTGWVPCAttachment struct {
	Options                    tgwVPCAttachOptions `json:"Options"`
	State                      string              `json:"State"`
	SubnetIDs                  []string            `json:"SubnetIds"`
	Tags                       []tag               `json:"Tags,omitempty"`
	TransitGatewayAttachmentID string              `json:"TransitGatewayAttachmentId"`
	TransitGatewayID           string              `json:"TransitGatewayId"`
	VpcID                      string              `json:"VpcId"`
	VpcOwnerID                 string              `json:"VpcOwnerId"`
}

type tgwVPCAttachOptions struct {
	ApplianceModeSupport string `json:"ApplianceModeSupport"`
	DNSSupport           string `json:"DnsSupport"`
	Ipv6Support          string `json:"Ipv6Support"`
}

type jsonTGWRouteTable struct {
	DefaultAssociationRouteTable bool   `json:"DefaultAssociationRouteTable"`
	DefaultPropagationRouteTable bool   `json:"DefaultPropagationRouteTable"`
	State                        string `json:"State"`
	Tags                         []tag  `json:"Tags,omitempty"`
	TransitGatewayID             string `json:"TransitGatewayId"`
	TransitGatewayRouteTableID   string `json:"TransitGatewayRouteTableId"`
}

// tgwRoutes is search-transit-gateway-routes merged with its table ID.
type tgwRoutes struct {
	AdditionalRoutesAvailable  bool       `json:"AdditionalRoutesAvailable"`
	Routes                     []tgwRoute `json:"Routes"`
	TransitGatewayRouteTableID string     `json:"TransitGatewayRouteTableId"`
}

type tgwRoute struct {
	DestinationCidrBlock      string           `json:"DestinationCidrBlock"`
	State                     string           `json:"State"`
	TransitGatewayAttachments []tgwRouteAttach `json:"TransitGatewayAttachments,omitempty"`
	Type                      string           `json:"Type"`
}

type tgwRouteAttach struct {
	ResourceID                 string `json:"ResourceId"`
	ResourceType               string `json:"ResourceType"`
	TransitGatewayAttachmentID string `json:"TransitGatewayAttachmentId"`
}

// tgwAssociations is get-transit-gateway-route-table-associations merged
// with its table ID.
type tgwAssociations struct {
	Associations               []tgwAssocItem `json:"Associations"`
	TransitGatewayRouteTableID string         `json:"TransitGatewayRouteTableId"`
}

type tgwAssocItem struct {
	ResourceID                 string `json:"ResourceId"`
	ResourceType               string `json:"ResourceType"`
	State                      string `json:"State"`
	TransitGatewayAttachmentID string `json:"TransitGatewayAttachmentId"`
}

// tgwPropagations is get-transit-gateway-route-table-propagations merged
// with its table ID.
type tgwPropagations struct {
	TransitGatewayRouteTableID           string         `json:"TransitGatewayRouteTableId"`
	TransitGatewayRouteTablePropagations []tgwAssocItem `json:"TransitGatewayRouteTablePropagations"`
}

type jsonLB struct {
	AvailabilityZones     []lbAZ   `json:"AvailabilityZones"`
	CanonicalHostedZoneID string   `json:"CanonicalHostedZoneId"`
	CreatedTime           string   `json:"CreatedTime"`
	DNSName               string   `json:"DNSName"`
	IPAddressType         string   `json:"IpAddressType"`
	LoadBalancerArn       string   `json:"LoadBalancerArn"`
	LoadBalancerName      string   `json:"LoadBalancerName"`
	Scheme                string   `json:"Scheme"`
	SecurityGroups        []string `json:"SecurityGroups,omitempty"`
	State                 lbState  `json:"State"`
	Type                  string   `json:"Type"`
	VpcID                 string   `json:"VpcId"`
}

type lbAZ struct {
	SubnetID string `json:"SubnetId"`
	ZoneName string `json:"ZoneName"`
}

type lbState struct {
	Code string `json:"Code"`
}

// lbListeners is describe-listeners merged with the load balancer ARN.
type lbListeners struct {
	Listeners       []listener `json:"Listeners"`
	LoadBalancerArn string     `json:"LoadBalancerArn"`
}

type listener struct {
	Certificates    []certificate `json:"Certificates,omitempty"`
	DefaultActions  []action      `json:"DefaultActions"`
	ListenerArn     string        `json:"ListenerArn"`
	LoadBalancerArn string        `json:"LoadBalancerArn"`
	Port            int           `json:"Port"`
	Protocol        string        `json:"Protocol"`
	SslPolicy       string        `json:"SslPolicy,omitempty"`
}

type certificate struct {
	CertificateArn string `json:"CertificateArn"`
}

type action struct {
	Order          int             `json:"Order"`
	RedirectConfig *redirectConfig `json:"RedirectConfig,omitempty"`
	TargetGroupArn string          `json:"TargetGroupArn,omitempty"`
	Type           string          `json:"Type"`
}

type redirectConfig struct {
	Host       string `json:"Host"`
	Path       string `json:"Path"`
	Port       string `json:"Port"`
	Protocol   string `json:"Protocol"`
	Query      string `json:"Query"`
	StatusCode string `json:"StatusCode"`
}

type jsonTargetGroup struct {
	HealthCheckEnabled  bool     `json:"HealthCheckEnabled"`
	HealthCheckPort     string   `json:"HealthCheckPort"`
	HealthCheckProtocol string   `json:"HealthCheckProtocol"`
	LoadBalancerArns    []string `json:"LoadBalancerArns"`
	Port                int      `json:"Port"`
	Protocol            string   `json:"Protocol"`
	TargetGroupArn      string   `json:"TargetGroupArn"`
	TargetGroupName     string   `json:"TargetGroupName"`
	TargetType          string   `json:"TargetType"`
	VpcID               string   `json:"VpcId"`
}

// targetHealth is describe-target-health merged with the target group ARN.
type targetHealth struct {
	TargetGroupArn           string              `json:"TargetGroupArn"`
	TargetHealthDescriptions []targetDescription `json:"TargetHealthDescriptions"`
}

type targetDescription struct {
	HealthCheckPort string     `json:"HealthCheckPort"`
	Target          target     `json:"Target"`
	TargetHealth    stateField `json:"TargetHealth"`
}

type target struct {
	AvailabilityZone string `json:"AvailabilityZone,omitempty"`
	ID               string `json:"Id"`
	Port             int    `json:"Port"`
}

// hostedZone is get-hosted-zone merged with list-resource-record-sets.
type hostedZone struct {
	HostedZone         zoneInfo    `json:"HostedZone"`
	ResourceRecordSets []recordSet `json:"ResourceRecordSets"`
	VPCs               []zoneVPC   `json:"VPCs"`
}

type zoneInfo struct {
	CallerReference        string     `json:"CallerReference"`
	Config                 zoneConfig `json:"Config"`
	ID                     string     `json:"Id"`
	Name                   string     `json:"Name"`
	ResourceRecordSetCount int        `json:"ResourceRecordSetCount"`
}

type zoneConfig struct {
	Comment     string `json:"Comment"`
	PrivateZone bool   `json:"PrivateZone"`
}

type zoneVPC struct {
	VPCID     string `json:"VPCId"`
	VPCRegion string `json:"VPCRegion"`
}

type recordSet struct {
	AliasTarget     *aliasTarget     `json:"AliasTarget,omitempty"`
	Name            string           `json:"Name"`
	ResourceRecords []resourceRecord `json:"ResourceRecords,omitempty"`
	TTL             int              `json:"TTL,omitempty"`
	Type            string           `json:"Type"`
}

type resourceRecord struct {
	Value string `json:"Value"`
}

type aliasTarget struct {
	DNSName              string `json:"DNSName"`
	EvaluateTargetHealth bool   `json:"EvaluateTargetHealth"`
	HostedZoneID         string `json:"HostedZoneId"`
}

type jsonDHCPOptions struct {
	DhcpConfigurations []dhcpConfig `json:"DhcpConfigurations"`
	DhcpOptionsID      string       `json:"DhcpOptionsId"`
	OwnerID            string       `json:"OwnerId"`
	Tags               []tag        `json:"Tags,omitempty"`
}

type dhcpConfig struct {
	Key    string           `json:"Key"`
	Values []resourceRecord `json:"Values"`
}

// jsonPrefixList is describe-managed-prefix-lists.
type jsonPrefixList struct {
	AddressFamily  string `json:"AddressFamily"`
	MaxEntries     int    `json:"MaxEntries"`
	OwnerID        string `json:"OwnerId"`
	PrefixListArn  string `json:"PrefixListArn"`
	PrefixListID   string `json:"PrefixListId"`
	PrefixListName string `json:"PrefixListName"`
	State          string `json:"State"`
	Tags           []tag  `json:"Tags,omitempty"`
	Version        int    `json:"Version"`
}

// prefixListEntries is get-managed-prefix-list-entries merged with the list ID.
type prefixListEntries struct {
	Entries      []plEntry `json:"Entries"`
	PrefixListID string    `json:"PrefixListId"`
}

type plEntry struct {
	Cidr        string `json:"Cidr"`
	Description string `json:"Description,omitempty"`
}
