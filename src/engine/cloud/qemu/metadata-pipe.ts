import { accessSync, constants, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * guestfwd's `cmd:` runs one host process per guest connection with the connection on its stdin and
 * stdout (a plain `tcp:` target would serve only the first connection). That process only relays
 * bytes to the metadata service, so it should cost next to nothing: socat starts in a few
 * milliseconds with ~2 MB resident, where a Node process takes 50 ms idle (seconds under load) and
 * ~40 MB. The Node relay below stays as the fallback on a host without socat.
 */
const NODE_PIPE = `const net = require('net');
const to = process.argv[2];
const s = /^\\d+$/.test(to) ? net.connect(Number(to), '127.0.0.1') : net.connect(to);
process.stdin.pipe(s);
s.pipe(process.stdout);
s.on('error', () => process.exit(1));
s.on('close', () => process.exit(0));
`;

/** Where a guest connection is relayed to: the account's unix socket (the provider) or a loopback port (the bakery's boot check). */
export type PipeTarget = { socket: string } | { port: number };

export interface GuestPipe {
  /** What QEMU runs per connection, as it will split it (GLib shell quoting). */
  argv: string[];
  /** The same as one guestfwd `cmd:` string. */
  command: string;
  via: 'socat' | 'node';
}

/**
 * The account's metadata socket: a path in its state dir, the same for every Kiln that runs the
 * account, so the guestfwd baked into a running VM's command line still reaches the Kiln that adopted it.
 */
export const metadataSocket = (stateDir: string) => join(stateDir, 'metadata.sock');

/** socat on PATH, or null. */
export function findSocat(path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'socat');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

// socat reads ':' ',' '!' and quotes inside an address as its own syntax: such paths go through the Node relay.
const plainPath = (p: string) => /^[\w./@+-]+$/.test(p);

/**
 * The per-connection relay for guestfwd: socat when there is one (and the target needs no escaping),
 * the Node script otherwise. The script is written into `dir` either way, so VMs a Kiln booted before
 * socat was installed, and adopted since, still reach the metadata service.
 */
export function guestPipe(dir: string, target: PipeTarget, socat: string | null = findSocat()): GuestPipe {
  const script = join(dir, 'metadata-pipe.cjs');
  writeFileSync(script, NODE_PIPE);
  const socatAddress = 'socket' in target ? (plainPath(target.socket) ? `UNIX-CONNECT:${target.socket}` : undefined) : `TCP:127.0.0.1:${target.port}`;
  const argv = socat && socatAddress ? [socat, '-', socatAddress] : [process.execPath, script, 'socket' in target ? target.socket : String(target.port)];
  return { argv, command: argv.map(quote).join(' '), via: socat && socatAddress ? 'socat' : 'node' };
}
