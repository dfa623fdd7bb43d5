import { readFileSync } from 'node:fs';
import { createCiServer, deleteCiServer, listCiServers, updateCiServer } from '../../shared/api/ci-servers';
import type { CiServer } from '../../shared/domain/ci-server';
import { defineCommand, type Context } from '../command';
import { EXIT, usageError } from '../io';
import { print, table } from '../output';

const tokenLine = (s: CiServer) => (s.token ? `set on ${s.token.setAt.slice(0, 10)} by ${s.token.setBy}` : 'none');

/**
 * The token from a file or $KILN_CI_TOKEN, never from an argument: arguments end up in shell
 * history and in every `ps` listing on the machine.
 */
async function readToken({ values, io }: Context, required: boolean): Promise<string | undefined> {
  const file = values['token-file'];
  if (typeof file === 'string') {
    try {
      return (file === '-' ? await readStdin(io.stdin) : readFileSync(file, 'utf8')).trim();
    } catch (err) {
      throw usageError(`--token-file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const fromEnv = io.env.KILN_CI_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  if (required) throw usageError("a token is required: --token-file FILE (or - for stdin), or $KILN_CI_TOKEN (never as an argument: it would show in 'ps')");
  return undefined;
}

async function readStdin(stdin: AsyncIterable<unknown>): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += String(chunk);
  return text;
}

const TOKEN_HELP = "--token-file FILE          Jenkins' API token for the user (- reads stdin); or set $KILN_CI_TOKEN";

export const ciServerCommands = [
  defineCommand({
    words: ['ci-server', 'list'],
    args: [],
    summary: 'CI servers pipelines can start Jenkins builds on (never their tokens)',
    async run({ io, client, json }) {
      const servers = await client(listCiServers, {});
      print(io, json, servers, () =>
        servers.length === 0
          ? 'No CI servers yet. An admin adds one with: kiln ci-server add NAME --jenkins-url URL --user USER --token-file FILE\n'
          : table(
              ['CI SERVER', 'KIND', 'URL', 'USER', 'TOKEN'],
              servers.map((s) => [s.name, s.kind, s.url, s.username, tokenLine(s)]),
            ),
      );
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['ci-server', 'add'],
    args: ['NAME'],
    summary: 'Add a Jenkins server with a user and its API token (admins only)',
    options: { 'jenkins-url': { type: 'string' }, user: { type: 'string' }, 'token-file': { type: 'string' } },
    optionHelp: [
      '--jenkins-url URL          Jenkins base URL (--url is Kiln’s own), e.g. https://ci.example.com/jenkins',
      '--user USER                the Jenkins user the token belongs to',
      TOKEN_HELP,
    ],
    async run(ctx) {
      const { values, positionals, client, io, json } = ctx;
      if (typeof values['jenkins-url'] !== 'string') throw usageError('--jenkins-url is required');
      if (typeof values.user !== 'string') throw usageError('--user is required');
      const token = (await readToken(ctx, true))!;
      const server = await client(createCiServer, { body: { name: positionals[0]!, url: values['jenkins-url'], username: values.user, token } as never });
      print(io, json, server, () => `Added CI server ${server.name} (${server.url}, user ${server.username}; token ${tokenLine(server)}).\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['ci-server', 'set'],
    args: ['NAME'],
    summary: "Change a CI server's URL or user, or replace its token (admins only)",
    options: { 'jenkins-url': { type: 'string' }, user: { type: 'string' }, 'token-file': { type: 'string' } },
    optionHelp: ['--jenkins-url URL          a new base URL', '--user USER                a new user', TOKEN_HELP],
    async run(ctx) {
      const { values, positionals, client, io, json } = ctx;
      const token = await readToken(ctx, false);
      const body = {
        ...(typeof values['jenkins-url'] === 'string' ? { url: values['jenkins-url'] } : {}),
        ...(typeof values.user === 'string' ? { username: values.user } : {}),
        ...(token ? { token } : {}),
      };
      if (Object.keys(body).length === 0) throw usageError('nothing to change: give --jenkins-url, --user or a token');
      const server = await client(updateCiServer, { params: { server: positionals[0]! }, body: body as never });
      print(io, json, server, () => `CI server ${server.name}: ${server.url}, user ${server.username}; token ${tokenLine(server)}.\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['ci-server', 'remove'],
    args: ['NAME'],
    summary: 'Remove a CI server (admins only)',
    async run({ io, client, positionals, json }) {
      const result = await client(deleteCiServer, { params: { server: positionals[0]! } });
      print(io, json, result, () => `Removed CI server ${positionals[0]}.\n`);
      return EXIT.ok;
    },
  }),
];
