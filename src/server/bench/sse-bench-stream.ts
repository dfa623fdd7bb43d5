/**
 * One bench client's SSE stream, in two builds measuring the same thing: the time from publish (the
 * `sent <ms>` stamp in an event's first log line) to the client holding that event's bytes.
 *
 * - `net` (the default): a raw TCP socket that writes the GET itself and scans the bytes for the
 *   stamp. The clients share the machine's 2 cores with the server, so a heavy client steals the
 *   server's CPU and queues events in its own loop: both land in the figure although a browser on
 *   another machine would add neither.
 * - `http` (BENCH_CLIENT=http): node:http with a UTF-8 decoder and a split per message, as the bench
 *   measured before; kept so the two can be compared in one session.
 */
import http from 'node:http';
import net from 'node:net';

export type StreamKind = 'net' | 'http';

const now = () => performance.timeOrigin + performance.now();
const STAMP = '"sent ';

const DUE = ' due ';

/** Per delivered event: ms since publish() was called, and since the event was due (see sse-clients.ts). */
export interface Latencies {
  sent: number[];
  due: number[];
}

/** Every stamp (`"sent <ms> due <ms>`) in the complete messages of `text` (up to its last blank line); the rest is returned to wait for more bytes. */
function stamps(text: string, arrived: number, latencies: Latencies): string {
  const end = text.lastIndexOf('\n\n');
  if (end < 0) return text;
  let at = text.indexOf(STAMP);
  while (at >= 0 && at < end) {
    const due = text.indexOf(DUE, at);
    latencies.sent.push(arrived - Number.parseFloat(text.slice(at + STAMP.length, due)));
    latencies.due.push(arrived - Number.parseFloat(text.slice(due + DUE.length, due + DUE.length + 24)));
    at = text.indexOf(STAMP, due);
  }
  return text.slice(end + 2);
}

/** Opens one stream; resolves once the server answered 200; `close` ends it. */
export function openStream(kind: StreamKind, url: string, token: string, latencies: Latencies): Promise<{ close: () => void }> {
  return kind === 'net' ? openNet(new URL(url), token, latencies) : openHttp(url, token, latencies);
}

/** One read buffer for every raw stream: each read is scanned before the next one lands in it. */
const readBuffer = Buffer.alloc(64 * 1024);

function openNet(url: URL, token: string, latencies: Latencies): Promise<{ close: () => void }> {
  return new Promise((resolve, reject) => {
    let headers = true;
    let pending = '';
    // onread: the bytes come to this callback in a reused buffer, without a Buffer and a 'data'
    // event per read through the stream machinery.
    const onRead = (size: number): boolean => {
      const arrived = now();
      // latin1: one char per byte, no decoder state; the stamp and the framing are ASCII. The HTTP
      // chunk-size lines between messages carry no stamp and sit outside any message's text.
      pending += readBuffer.toString('latin1', 0, size);
      if (headers) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return true;
        if (!pending.startsWith('HTTP/1.1 200')) {
          reject(new Error(pending.slice(0, pending.indexOf('\r\n'))));
          return false;
        }
        headers = false;
        pending = pending.slice(end + 4);
        resolve({ close: () => socket.destroy() });
      }
      pending = stamps(pending, arrived, latencies);
      return true;
    };
    const socket = net.connect({ port: Number(url.port), host: url.hostname, noDelay: true, onread: { buffer: readBuffer, callback: onRead } });
    socket.on('error', reject);
    socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`);
  });
}

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function openHttp(url: string, token: string, latencies: Latencies): Promise<{ close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const arrived = now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const stamp = /"sent (\d+(?:\.\d+)?) due (\d+(?:\.\d+)?)/.exec(data);
          if (stamp) {
            latencies.sent.push(arrived - Number(stamp[1]));
            latencies.due.push(arrived - Number(stamp[2]));
          }
        }
      });
      resolve({ close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}
