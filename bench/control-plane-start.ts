import { KubeControlPlane } from '../sim/kube-control-plane/index.js';

export interface ControlPlaneStartFigures {
  /** From start until kube-apiserver's /readyz answered 200 (etcd, PKI and apiserver included). */
  readonly controlPlaneReadyMs: number;
  /** From /readyz until Cluster API's CRDs were all Established. */
  readonly clusterApiCrdsReadyMs: number;
}

/** Starts one local control plane with Cluster API's CRDs, times it, and stops it. */
export async function measureControlPlaneStart(): Promise<ControlPlaneStartFigures> {
  const controlPlane = new KubeControlPlane();
  try {
    await controlPlane.start();
    const { apiserverReadyMs, readyMs } = controlPlane.timings;
    return { controlPlaneReadyMs: apiserverReadyMs, clusterApiCrdsReadyMs: readyMs - apiserverReadyMs };
  } finally {
    await controlPlane.stop();
  }
}
