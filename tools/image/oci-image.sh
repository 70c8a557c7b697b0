#!/usr/bin/env bash
# Writes ROOTFS as a one-layer image into the OCI image layout LAYOUT under the name TAG. The same
# inputs give the same bytes, so the same digest: entries sorted by name, owned by 0:0 (numeric),
# every mtime EPOCH, PAX headers without atime/ctime, gzip without name or time, and the config's
# `created` and history at EPOCH.
# Usage: oci-image.sh LAYOUT TAG ROOTFS EPOCH CONFIG_JSON   (CONFIG_JSON: the config's "config")
set -euo pipefail
layout=$1 tag=$2 rootfs=$3 epoch=$4 config=$5

blobs="$layout/blobs/sha256"
mkdir -p "$blobs"
[ -f "$layout/oci-layout" ] || echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
[ -f "$layout/index.json" ] || echo '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}' >"$layout/index.json"
work=$(mktemp -d "$layout/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Permissions do not depend on the builder's umask; executables stay executable.
chmod -R u+rwX,go+rX,go-w "$rootfs"
[ -d "$rootfs/tmp" ] && chmod 1777 "$rootfs/tmp"
(cd "$rootfs" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort) >"$work/entries"
tar -C "$rootfs" --create --file="$work/layer.tar" --no-recursion --verbatim-files-from --files-from="$work/entries" \
  --numeric-owner --owner=0 --group=0 --mtime="@$epoch" \
  --format=posix --pax-option='exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime'
diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -n -c "$work/layer.tar" >"$work/layer.tar.gz"

# Stores a file as a blob; prints its descriptor fields "digest size".
store() {
  local digest size
  digest=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  mv "$1" "$blobs/$digest"
  echo "sha256:$digest $size"
}

read -r layer_digest layer_size < <(store "$work/layer.tar.gz")
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
jq -c -n --arg created "$created" --arg diff_id "$diff_id" --argjson config "$config" '{
  created: $created, architecture: "amd64", os: "linux", config: $config,
  rootfs: {type: "layers", diff_ids: [$diff_id]},
  history: [{created: $created, created_by: "tools/image/build.sh"}]
}' | tr -d '\n' >"$work/config.json"
read -r config_digest config_size < <(store "$work/config.json")
jq -c -n --arg cd "$config_digest" --argjson cs "$config_size" --arg ld "$layer_digest" --argjson ls "$layer_size" '{
  schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
  layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $ld, size: $ls}]
}' | tr -d '\n' >"$work/manifest.json"
read -r manifest_digest manifest_size < <(store "$work/manifest.json")
jq -c --arg tag "$tag" --arg md "$manifest_digest" --argjson ms "$manifest_size" '
  .manifests |= ([.[] | select(.annotations["org.opencontainers.image.ref.name"] != $tag)] + [{
    mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $md, size: $ms,
    annotations: {"org.opencontainers.image.ref.name": $tag}
  }] | sort_by(.annotations["org.opencontainers.image.ref.name"]))' "$layout/index.json" >"$work/index.json"
mv "$work/index.json" "$layout/index.json"
echo "$manifest_digest"
