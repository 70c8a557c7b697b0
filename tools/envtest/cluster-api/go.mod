// Pins the Cluster API release whose CRDs (config/crd/bases and the kubeadm bootstrap and
// control-plane bases) tests and the demo install into the local kube-apiserver. The single
// source of truth for that version: tools/envtest/cluster-api-crds.sh and
// sim/kube-control-plane read it from here. Never imported by the product; no Go code.
module imageurl.invalid/tools/envtest/cluster-api

go 1.25.0

require sigs.k8s.io/cluster-api v1.13.6
