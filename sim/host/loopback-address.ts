import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

/**
 * Picks an address in 127.0.0.0/8 (all of it is loopback on Linux) whose `port` is free, so
 * every simulated server can listen on port 22 like a real one. Random within 127.64.0.0/10 to
 * keep parallel test files apart; checked by binding, retried on collision.
 */
export async function pickLoopbackAddress(port = 22, attempts = 20): Promise<string> {
  for (let i = 0; i < attempts; i++) {
    const address = `127.${randomInt(64, 128)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    if (await canListen(address, port)) return address;
  }
  throw new Error(`no free loopback address for port ${port} after ${attempts} attempts`);
}

async function canListen(address: string, port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}
