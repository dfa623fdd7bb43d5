import { connect } from 'node:net';

/**
 * One QMP command on a VM's control socket: the greeting, `qmp_capabilities`, then the command;
 * resolves with its `return` or rejects with its `error` (or when the socket is gone or silent).
 */
export function qmp(socket: string, command: string, timeoutMs = 3000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let buffer = '';
    let step = 0;
    const done = (err: Error | undefined, value?: unknown) => {
      clearTimeout(timer);
      conn.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => done(new Error(`QMP ${command}: no answer within ${timeoutMs} ms`)), timeoutMs);
    conn.on('error', (err) => done(new Error(`QMP ${command}: ${err.message}`)));
    conn.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        if (!line) continue;
        const msg = JSON.parse(line) as { QMP?: unknown; return?: unknown; error?: { desc?: string }; event?: string };
        if (msg.event) continue;
        if (msg.error) return done(new Error(`QMP ${command}: ${msg.error.desc ?? 'failed'}`));
        if (step === 0 && msg.QMP) {
          step = 1;
          conn.write('{"execute":"qmp_capabilities"}\n');
        } else if (step === 1 && 'return' in msg) {
          step = 2;
          conn.write(`${JSON.stringify({ execute: command })}\n`);
        } else if (step === 2 && 'return' in msg) return done(undefined, msg.return);
      }
    });
  });
}
