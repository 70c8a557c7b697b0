// Pins the cert-manager release whose CRDs (deploy/crds) the clusterctl test installs, so that
// `clusterctl init` finds cert-manager's API and skips installing cert-manager. The version is
// the one Cluster API's clusterctl (tools/envtest/cluster-api) installs by default. Read by
// tools/envtest/cert-manager-crds.sh. Never imported by the product; no Go code.
module imageurl.invalid/tools/envtest/cert-manager

go 1.25.0

require github.com/cert-manager/cert-manager v1.21.1
