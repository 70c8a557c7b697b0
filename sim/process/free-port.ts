import { createServer } from 'node:net';

/**
 * A TCP port that was free on `host` a moment ago. For programs that cannot be told to pick
 * their own port (etcd, kube-apiserver); callers retry on the rare collision.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not determine a free port');
  return address.port;
}
