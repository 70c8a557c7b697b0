// Command hcloud-go-flow drives the Cloud simulator with the official Go client
// (github.com/hetznercloud/hcloud-go, the library the hcloud CLI is built on) through the
// acceptance flow, waiting for every action with the client's own WaitFor, and prints one JSON
// report for the test to check. Built by tools/hcloud-cli/install.sh; never part of the product.
//
// Environment: HCLOUD_ENDPOINT, HCLOUD_TOKEN. Argument: the server name to use.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"
)

type report struct {
	CreatedStatus   string   `json:"createdStatus"`
	RescueEnabled   bool     `json:"rescueEnabled"`
	RootPassword    bool     `json:"rootPassword"`
	PoweredStatus   string   `json:"poweredStatus"`
	PublicIPv4      string   `json:"publicIPv4"`
	ListedByLabel   []string `json:"listedByLabel"`
	LockedErrorCode string   `json:"lockedErrorCode"`
	GoneAfterDelete bool     `json:"goneAfterDelete"`
}

func main() {
	if len(os.Args) != 2 {
		fail(fmt.Errorf("usage: hcloud-go-flow <server-name>"))
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

func run(ctx context.Context, client *hcloud.Client, name string) (*report, error) {
	out := &report{}
	serverType, _, err := client.ServerType.GetByName(ctx, "cpx22")
	if err != nil || serverType == nil {
		return nil, fmt.Errorf("server type: %v", err)
	}
	image, _, err := client.Image.GetForArchitecture(ctx, "debian-13", serverType.Architecture)
	if err != nil || image == nil {
		return nil, fmt.Errorf("image: %v", err)
	}
	created, _, err := client.Server.Create(ctx, hcloud.ServerCreateOpts{
		Name: name, ServerType: serverType, Image: image,
		Location:         &hcloud.Location{Name: "fsn1"},
		StartAfterCreate: hcloud.Ptr(false),
		Labels:           map[string]string{"acceptance": name},
	})
	if err != nil {
		return nil, fmt.Errorf("create: %w", err)
	}
	// While create_server runs the server is locked; the client must see the typed error.
	if _, _, err := client.Server.Poweron(ctx, created.Server); hcloud.IsError(err, hcloud.ErrorCodeLocked) {
		out.LockedErrorCode = string(hcloud.ErrorCodeLocked)
	}
	if err := client.Action.WaitFor(ctx, created.Action); err != nil {
		return nil, fmt.Errorf("wait create: %w", err)
	}
	server, _, err := client.Server.GetByID(ctx, created.Server.ID)
	if err != nil || server == nil {
		return nil, fmt.Errorf("get: %v", err)
	}
	out.CreatedStatus = string(server.Status)
	rescue, _, err := client.Server.EnableRescue(ctx, server, hcloud.ServerEnableRescueOpts{})
	if err != nil {
		return nil, fmt.Errorf("enable rescue: %w", err)
	}
	if err := client.Action.WaitFor(ctx, rescue.Action); err != nil {
		return nil, fmt.Errorf("wait rescue: %w", err)
	}
	out.RootPassword = rescue.RootPassword != ""
	server, _, _ = client.Server.GetByID(ctx, server.ID)
	out.RescueEnabled = server.RescueEnabled
	poweron, _, err := client.Server.Poweron(ctx, server)
	if err != nil {
		return nil, fmt.Errorf("poweron: %w", err)
	}
	if err := client.Action.WaitFor(ctx, poweron); err != nil {
		return nil, fmt.Errorf("wait poweron: %w", err)
	}
	server, _, _ = client.Server.GetByID(ctx, server.ID)
	out.PoweredStatus = string(server.Status)
	out.PublicIPv4 = server.PublicNet.IPv4.IP.String()
	listed, err := client.Server.AllWithOpts(ctx, hcloud.ServerListOpts{ListOpts: hcloud.ListOpts{LabelSelector: "acceptance=" + name}})
	if err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	for _, s := range listed {
		out.ListedByLabel = append(out.ListedByLabel, s.Name)
	}
	deleted, _, err := client.Server.DeleteWithResult(ctx, server)
	if err != nil {
		return nil, fmt.Errorf("delete: %w", err)
	}
	if err := client.Action.WaitFor(ctx, deleted.Action); err != nil {
		return nil, fmt.Errorf("wait delete: %w", err)
	}
	gone, _, err := client.Server.GetByID(ctx, server.ID)
	out.GoneAfterDelete = err == nil && gone == nil
	return out, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "hcloud-go-flow:", err)
	os.Exit(1)
}
