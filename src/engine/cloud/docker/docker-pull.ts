import type Docker from 'dockerode';
import type { EngineFlavour } from './engine-flavour';

export interface PullAuth {
  username?: string | undefined;
  password?: string | undefined;
  /** `host[:port]` of the registry: where the engine may send the credentials. */
  serveraddress: string;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/;

/**
 * Has the engine pull `reference` (`registry/name@sha256:…`) from its registry, with the account's
 * registry credentials in X-Registry-Auth (dockerode's `authconfig`). Podman goes through libpod's
 * own pull, the only one that can be told a loopback registry speaks plain HTTP; Docker treats
 * 127.0.0.0/8 as an insecure registry by itself. Both stream their answer and put a refusal in an
 * `error` line of a 200, so the whole stream is read and checked. Throws the engine's reason.
 */
export async function pullImage(docker: Docker, reference: string, auth: PullAuth, flavour: EngineFlavour): Promise<void> {
  const authconfig = auth.username !== undefined ? { username: auth.username, password: auth.password ?? '', serveraddress: auth.serveraddress } : undefined;
  const answer =
    flavour.engine === 'podman'
      ? await new Promise<string>((resolve, reject) => {
          docker.modem.dial(
            {
              path: '/v4.0.0/libpod/images/pull?',
              method: 'POST',
              options: { reference, tlsVerify: !LOOPBACK.test(auth.serveraddress), quiet: true },
              ...(authconfig ? { authconfig } : {}),
              statusCodes: { 200: true, 400: 'bad request', 401: 'unauthorized', 404: 'no such image', 500: 'server error' },
            },
            (err: unknown, data: unknown) => (err ? reject(err as Error) : resolve(typeof data === 'string' ? data : JSON.stringify(data ?? ''))),
          );
        })
      : await new Promise<string>((resolve, reject) => {
          docker.pull(reference, authconfig ? { authconfig } : {}, (err: unknown, stream?: NodeJS.ReadableStream) => {
            if (err || !stream) return reject((err as Error) ?? new Error('the engine gave no answer to the pull'));
            let body = '';
            stream.on('data', (c: Buffer) => (body += c.toString('utf8')));
            stream.on('end', () => resolve(body));
            stream.on('error', reject);
          });
        });
  const problem = /"error"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(answer)?.[1];
  if (problem) throw new Error(problem.replace(/\\"/g, '"').replace(/\\n/g, ' ').trim());
}
