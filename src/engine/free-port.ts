import { createServer } from 'node:net';

/**
 * A loopback port nobody listens on right now (the OS picks it). Another process could take it
 * before the caller binds; callers are a boot check and tests, which start their server at once.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('the OS gave no port'))));
    });
  });
}
