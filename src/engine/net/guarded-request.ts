import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusal, type OutboundPolicy } from './outbound-policy';

/** A call Kiln refused to make; its message is the whole story (what, where, which setting opens it). */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
}

export interface GuardedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  timeoutMs: number;
  /** Bytes of the answer kept; the rest is not read. */
  maxBodyBytes: number;
  /** Starts refusal messages, e.g. "webhook URL". */
  what: string;
}

export interface GuardedResponse {
  status: number;
  body: string;
  /** The answer was longer than maxBodyBytes and was cut (the body ends with a marker saying so). */
  truncated: boolean;
  /** The answer's headers, lowercase names (a CI server says where the queued build is, how much log there is). */
  headers: Record<string, string | string[] | undefined>;
}

/** Resolves a name to every address (tests pass a fake resolver to play DNS rebinding). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) => new Promise((ok, fail) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? fail(err) : ok(addresses))));

export const cutMarker = (bytes: number) => `\n… [cut by Kiln: only the first ${Math.round(bytes / 1024)} KB of the answer are kept]`;

/**
 * One HTTP call that cannot be turned against Kiln's own network: the name is resolved once, every
 * address is checked against the policy, and the socket connects to a checked address (a DNS answer
 * that changes between check and connect cannot slip through). Redirects are not followed; the answer
 * is read up to maxBodyBytes and the connection dropped after that.
 */
export function guardedRequest(policy: OutboundPolicy, req: GuardedRequest, resolver: Resolver = systemResolver): Promise<GuardedResponse> {
  return new Promise((ok, fail) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return fail(new OutboundRefusedError(`${req.what} ${req.url} is not an absolute URL`));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(new OutboundRefusedError(`${req.what} ${req.url} must be http:// or https://`));
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const check = (ip: string) => refusal(policy, req.what, req.url, hostname, port, ip);

    // Node connects to an address literal without calling `lookup`, so literals are checked here.
    if (isIP(hostname)) {
      const refused = check(hostname);
      if (refused) return fail(new OutboundRefusedError(refused));
    }
    const lookup: LookupFunction = (name, options, callback) => {
      resolver(name).then(
        (addresses) => {
          const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
          if (wanted.length === 0) return callback(Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' }), '', 4);
          // Every address must pass: a name answering with one public and one private address is refused.
          const refused = wanted.map((a) => check(a.address)).find(Boolean);
          if (refused) return callback(new OutboundRefusedError(refused), '', 4);
          if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted);
          callback(null, wanted[0]!.address, wanted[0]!.family);
        },
        (err: Error) => callback(err as NodeJS.ErrnoException, '', 4),
      );
    };

    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method: req.method, headers: req.headers, lookup });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error(`no answer within ${req.timeoutMs / 1000} s`), { name: 'TimeoutError' })), req.timeoutMs);
    request.on('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    request.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const finish = () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks).subarray(0, req.maxBodyBytes).toString('utf8');
        ok({ status: res.statusCode ?? 0, body: truncated ? body + cutMarker(req.maxBodyBytes) : body, truncated, headers: res.headers });
      };
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        chunks.push(chunk);
        size += chunk.length;
        if (size > req.maxBodyBytes) {
          // Stop reading: a webhook that streams gigabytes must not fill Kiln's memory or database.
          truncated = true;
          res.destroy();
          finish();
        }
      });
      res.on('end', () => !truncated && finish());
      res.on('error', (err) => !truncated && (clearTimeout(timer), fail(err)));
    });
    if (req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD') request.write(req.body);
    request.end();
  });
}
