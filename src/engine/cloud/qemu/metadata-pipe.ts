import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * guestfwd's `cmd:` runs one host process per guest connection with the connection on its stdin and
 * stdout (a plain `tcp:` target would serve only the first connection). This one pipes it to the
 * metadata service's unix socket; Node is the one tool sure to be on a Kiln host.
 */
const PIPE = `const net = require('net');
const s = net.connect(process.argv[2]);
process.stdin.pipe(s);
s.pipe(process.stdout);
s.on('error', () => process.exit(1));
s.on('close', () => process.exit(0));
`;

/**
 * The account's metadata socket: a path in its state dir, the same for every Kiln that runs the
 * account, so the guestfwd baked into a running VM's command line still reaches the Kiln that adopted it.
 */
export const metadataSocket = (stateDir: string) => join(stateDir, 'metadata.sock');

/** Writes the pipe script into the provider's state dir; returns the guestfwd command for the account's metadata socket. */
export function metadataCommand(stateDir: string): string {
  const script = join(stateDir, 'metadata-pipe.cjs');
  writeFileSync(script, PIPE);
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  return `${quote(process.execPath)} ${quote(script)} ${quote(metadataSocket(stateDir))}`;
}
