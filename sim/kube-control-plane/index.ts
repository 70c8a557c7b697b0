export {
  KubeControlPlane,
  startControlPlane,
  type ControlPlaneOptions,
  type ControlPlaneTimings,
} from './control-plane.js';
export {
  assetCandidates,
  assetEnvName,
  findAsset,
  findClusterApiCrds,
  findControlPlaneBinaries,
  MissingAssetError,
  type AssetName,
  type ControlPlaneBinaries,
} from './assets.js';
export { installCrds, readCrds, type InstallCrdsOptions } from './crds.js';
export { servableCrd, type ConversionWebhookEndpoint } from './crd-conversion.js';
export type { KubeApiserverAudit } from './kube-apiserver.js';
export { ADMIN_GROUP, ADMIN_USER } from './pki.js';
export { findClusterctlAssets, type ClusterctlAssets } from './clusterctl-assets.js';
export { startNamespaceController, type NamespaceController } from './namespace-controller.js';
