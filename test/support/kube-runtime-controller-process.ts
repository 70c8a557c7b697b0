// One controller process for the leader-election tests: the runtime wired by createRuntime as
// main would wire it, flags and environment included, with a reconciler that appends one JSON
// line per reconcile ({ t, key, identity }) to $IMAGEURL_TEST_RECORD (synchronously, so a
// SIGKILL loses nothing). Exits 0 after SIGTERM, 3 when it lost the lease.
import { appendFileSync } from 'node:fs';
import {
  createRuntime,
  LeaderElectionLostError,
  terminationSignal,
  toSelf,
  watchSource,
} from '../../src/kube/index.js';
import { hcloudMachines, type HCloudMachineObject } from './kube-runtime-fixtures.js';
import { parseRuntimeFlags } from './runtime-flags.js';

const record = process.env.IMAGEURL_TEST_RECORD ?? '';
const runtime = createRuntime(parseRuntimeFlags(process.argv.slice(2), process.env), { env: process.env });
const informer = runtime.manager.informer<HCloudMachineObject>(hcloudMachines);
runtime.manager.addController({
  name: 'hcloudmachine',
  for: watchSource(informer, toSelf()),
  reconciler: {
    reconcile: ({ key }, { log }) => {
      appendFileSync(record, `${JSON.stringify({ t: Date.now(), key, identity: runtime.identity })}\n`);
      log.info('Reconciled');
      return Promise.resolve(undefined);
    },
  },
});
const termination = terminationSignal(process);
try {
  await runtime.manager.run(termination.signal);
} catch (error) {
  if (!(error instanceof LeaderElectionLostError)) throw error;
  process.exitCode = 3;
} finally {
  termination.dispose();
  runtime.transport.close();
}
