import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * guestfwd's `cmd:` runs one host process per guest connection with the connection on its stdin and
 * stdout (a plain `tcp:` target would serve only the first connection). This one pipes it to the
 * metadata service on the host's loopback; Node is the one tool sure to be on a Kiln host.
 */
const PIPE = `const net = require('net');
const s = net.connect(Number(process.argv[2]), '127.0.0.1');
process.stdin.pipe(s);
s.pipe(process.stdout);
s.on('error', () => process.exit(1));
s.on('close', () => process.exit(0));
`;

/** Writes the pipe script into the provider's state dir; returns the guestfwd command for a metadata service on `port`. */
export function metadataCommand(stateDir: string, port: number): string {
  const script = join(stateDir, 'metadata-pipe.cjs');
  writeFileSync(script, PIPE);
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  return `${quote(process.execPath)} ${quote(script)} ${port}`;
}
