// Command hcloud-go-cluster-flow drives the Cloud simulator with the official Go client
// (github.com/hetznercloud/hcloud-go) through what a cluster needs besides servers: a spread
// placement group, a network with a subnet, a server created in both, a load balancer in the
// network with a tcp service and the server as a private target; then it deletes everything.
// It waits for every action with the client's own WaitFor and prints one JSON report.
// Built by tools/hcloud-cli/install.sh; never part of the product.
//
// Environment: HCLOUD_ENDPOINT, HCLOUD_TOKEN. Argument: a name prefix.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"
)

type report struct {
	PlacementGroupServers int      `json:"placementGroupServers"`
	ServerPlacementGroup  string   `json:"serverPlacementGroup"`
	ServerPrivateIP       string   `json:"serverPrivateIP"`
	NetworkServers        int      `json:"networkServers"`
	LoadBalancerPrivateIP string   `json:"loadBalancerPrivateIP"`
	LoadBalancerPublicIP  string   `json:"loadBalancerPublicIP"`
	Services              []int    `json:"services"`
	TargetHealth          []string `json:"targetHealth"`
	ServerLoadBalancers   int      `json:"serverLoadBalancers"`
	AllGone               bool     `json:"allGone"`
}

func main() {
	if len(os.Args) != 2 {
		fail(fmt.Errorf("usage: hcloud-go-cluster-flow <name-prefix>"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	client := hcloud.NewClient(
		hcloud.WithEndpoint(os.Getenv("HCLOUD_ENDPOINT")),
		hcloud.WithToken(os.Getenv("HCLOUD_TOKEN")),
		hcloud.WithApplication("imageurl-acceptance", "1"),
	)
	out, err := run(ctx, client, os.Args[1])
	if err != nil {
		fail(err)
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func run(ctx context.Context, client *hcloud.Client, prefix string) (*report, error) {
	out := &report{}
	group, network, err := createGroupAndNetwork(ctx, client, prefix)
	if err != nil {
		return nil, err
	}
	server, err := createServer(ctx, client, prefix, group, network)
	if err != nil {
		return nil, err
	}
	lb, err := createLoadBalancer(ctx, client, prefix, network, server)
	if err != nil {
		return nil, err
	}
	if err := observe(ctx, client, out, group, network, server, lb); err != nil {
		return nil, err
	}
	return out, cleanUp(ctx, client, out, group, network, server, lb)
}

func createGroupAndNetwork(ctx context.Context, client *hcloud.Client, prefix string) (*hcloud.PlacementGroup, *hcloud.Network, error) {
	created, _, err := client.PlacementGroup.Create(ctx, hcloud.PlacementGroupCreateOpts{
		Name: prefix + "-cp", Type: hcloud.PlacementGroupTypeSpread, Labels: map[string]string{"flow": prefix},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("placement group: %w", err)
	}
	_, ipRange, _ := net.ParseCIDR("10.0.0.0/16")
	_, subnetRange, _ := net.ParseCIDR("10.0.1.0/24")
	network, _, err := client.Network.Create(ctx, hcloud.NetworkCreateOpts{
		Name: prefix + "-net", IPRange: ipRange,
		Subnets: []hcloud.NetworkSubnet{{Type: hcloud.NetworkSubnetTypeCloud, IPRange: subnetRange, NetworkZone: hcloud.NetworkZoneEUCentral}},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("network: %w", err)
	}
	return created.PlacementGroup, network, nil
}

func createServer(ctx context.Context, client *hcloud.Client, prefix string, group *hcloud.PlacementGroup, network *hcloud.Network) (*hcloud.Server, error) {
	created, _, err := client.Server.Create(ctx, hcloud.ServerCreateOpts{
		Name: prefix + "-cp-1", ServerType: &hcloud.ServerType{Name: "cpx22"}, Image: &hcloud.Image{Name: "debian-13"},
		Location: &hcloud.Location{Name: "fsn1"}, PlacementGroup: group, Networks: []*hcloud.Network{network},
		Labels: map[string]string{"flow": prefix},
	})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if err := client.Action.WaitFor(ctx, append([]*hcloud.Action{created.Action}, created.NextActions...)...); err != nil {
		return nil, fmt.Errorf("wait server: %w", err)
	}
	return created.Server, nil
}

func createLoadBalancer(ctx context.Context, client *hcloud.Client, prefix string, network *hcloud.Network, server *hcloud.Server) (*hcloud.LoadBalancer, error) {
	created, _, err := client.LoadBalancer.Create(ctx, hcloud.LoadBalancerCreateOpts{
		Name: prefix + "-kube-apiserver", LoadBalancerType: &hcloud.LoadBalancerType{Name: "lb11"},
		Location: &hcloud.Location{Name: "fsn1"}, Network: network,
		Algorithm: &hcloud.LoadBalancerAlgorithm{Type: hcloud.LoadBalancerAlgorithmTypeLeastConnections},
		Services: []hcloud.LoadBalancerCreateOptsService{{
			Protocol: hcloud.LoadBalancerServiceProtocolTCP, ListenPort: hcloud.Ptr(6443), DestinationPort: hcloud.Ptr(6443),
		}},
	})
	if err != nil {
		return nil, fmt.Errorf("load balancer: %w", err)
	}
	if err := client.Action.WaitFor(ctx, created.Action); err != nil {
		return nil, fmt.Errorf("wait load balancer: %w", err)
	}
	action, _, err := client.LoadBalancer.AddServerTarget(ctx, created.LoadBalancer, hcloud.LoadBalancerAddServerTargetOpts{
		Server: server, UsePrivateIP: hcloud.Ptr(true),
	})
	if err != nil {
		return nil, fmt.Errorf("add target: %w", err)
	}
	if err := client.Action.WaitFor(ctx, action); err != nil {
		return nil, fmt.Errorf("wait add target: %w", err)
	}
	return created.LoadBalancer, nil
}

func observe(ctx context.Context, client *hcloud.Client, out *report, group *hcloud.PlacementGroup, network *hcloud.Network, server *hcloud.Server, lb *hcloud.LoadBalancer) error {
	g, _, err := client.PlacementGroup.GetByID(ctx, group.ID)
	if err != nil || g == nil {
		return fmt.Errorf("get placement group: %v", err)
	}
	out.PlacementGroupServers = len(g.Servers)
	s, _, err := client.Server.GetByID(ctx, server.ID)
	if err != nil || s == nil || s.PlacementGroup == nil || len(s.PrivateNet) != 1 {
		return fmt.Errorf("get server: %v", err)
	}
	out.ServerPlacementGroup = s.PlacementGroup.Name
	out.ServerPrivateIP = s.PrivateNet[0].IP.String()
	out.ServerLoadBalancers = len(s.LoadBalancers)
	n, _, err := client.Network.GetByID(ctx, network.ID)
	if err != nil || n == nil {
		return fmt.Errorf("get network: %v", err)
	}
	out.NetworkServers = len(n.Servers)
	b, _, err := client.LoadBalancer.GetByID(ctx, lb.ID)
	if err != nil || b == nil || len(b.PrivateNet) != 1 {
		return fmt.Errorf("get load balancer: %v", err)
	}
	out.LoadBalancerPrivateIP = b.PrivateNet[0].IP.String()
	out.LoadBalancerPublicIP = b.PublicNet.IPv4.IP.String()
	for _, service := range b.Services {
		out.Services = append(out.Services, service.ListenPort)
	}
	for _, target := range b.Targets {
		for _, health := range target.HealthStatus {
			out.TargetHealth = append(out.TargetHealth, string(health.Status))
		}
	}
	return nil
}

func cleanUp(ctx context.Context, client *hcloud.Client, out *report, group *hcloud.PlacementGroup, network *hcloud.Network, server *hcloud.Server, lb *hcloud.LoadBalancer) error {
	if _, err := client.LoadBalancer.Delete(ctx, lb); err != nil {
		return fmt.Errorf("delete load balancer: %w", err)
	}
	deleted, _, err := client.Server.DeleteWithResult(ctx, server)
	if err != nil {
		return fmt.Errorf("delete server: %w", err)
	}
	if err := client.Action.WaitFor(ctx, deleted.Action); err != nil {
		return fmt.Errorf("wait delete server: %w", err)
	}
	if _, err := client.Network.Delete(ctx, network); err != nil {
		return fmt.Errorf("delete network: %w", err)
	}
	if _, err := client.PlacementGroup.Delete(ctx, group); err != nil {
		return fmt.Errorf("delete placement group: %w", err)
	}
	b, _, errB := client.LoadBalancer.GetByID(ctx, lb.ID)
	n, _, errN := client.Network.GetByID(ctx, network.ID)
	g, _, errG := client.PlacementGroup.GetByID(ctx, group.ID)
	out.AllGone = errB == nil && errN == nil && errG == nil && b == nil && n == nil && g == nil
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "hcloud-go-cluster-flow:", err)
	os.Exit(1)
}
