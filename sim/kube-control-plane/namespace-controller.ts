import { ProcessGroup } from '../process/process-group.js';
import { outputTail } from './readiness.js';
import { findAsset, type AssetLookupOptions } from './assets.js';

export interface NamespaceController {
  /** Its last output, when it ended by itself (for a test's failure message); else undefined. */
  exitNote(): string | undefined;
  stop(): Promise<void>;
}

/**
 * kube-controller-manager with only its namespace controller, against a local control plane: in
 * a real management cluster that controller is what finishes a namespace deletion (it deletes
 * what is left in the namespace, then waits for every finalizer). Without it, a test could only
 * argue that a namespace would go; with it, the test sees it go.
 */
export function startNamespaceController(options: {
  readonly kubeconfigPath: string;
  readonly assets?: AssetLookupOptions;
}): NamespaceController {
  const group = new ProcessGroup();
  const member = group.start({
    name: 'kube-controller-manager (namespace controller)',
    command: findAsset('kube-controller-manager', options.assets),
    args: [
      `--kubeconfig=${options.kubeconfigPath}`,
      '--controllers=namespace-controller',
      '--secure-port=0',
      '--leader-elect=false',
    ],
  });
  let exited: string | undefined;
  void member.waitForExit().then((exit) => {
    exited = `${member.spec.name} exited (${exit}):\n${outputTail(member.output.text(), 15)}`;
  });
  return { exitNote: () => exited, stop: () => group.stopAll() };
}
