import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Repositories } from '../../db/types';
import { SESSION_COOKIE } from '../plugins/auth';
import { clearCookie, setCookie } from './cookies';
import { newSecret, secretHash } from './secrets';

/** A session lasts a working day; signing in again starts a new one. */
export const SESSION_HOURS = 12;
/** A fresh install's setup link works for a day; every start without an admin mints a new one. */
const SETUP_HOURS = 24;

export async function startSession(repos: Repositories, request: FastifyRequest, reply: FastifyReply, userName: string, now: Date): Promise<void> {
  const secret = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await repos.credentials.createSession({
    idHash: secretHash(secret),
    userName,
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    ip: request.ip,
    ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
  });
  // HttpOnly: scripts cannot read it; SameSite=Strict: other sites' requests do not carry it.
  setCookie(reply, SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    expires: expiresAt,
  });
}

export async function endSession(repos: Repositories, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const secret = request.cookies[SESSION_COOKIE];
  if (secret) await repos.credentials.deleteSession(secretHash(secret));
  clearCookie(reply, SESSION_COOKIE, { path: '/' });
}

/** `kiln_` + 43 characters; the prefix lets secret scanners recognise a leaked token. */
export async function createToken(repos: Repositories, userName: string, name: string, now: Date, expiresInDays?: number) {
  const secret = newSecret('kiln_');
  const token = {
    id: randomUUID(),
    userName,
    name,
    prefix: secret.slice(0, 9),
    tokenHash: secretHash(secret),
    createdAt: now.toISOString(),
    ...(expiresInDays ? { expiresAt: new Date(now.getTime() + expiresInDays * 86_400_000).toISOString() } : {}),
  };
  await repos.credentials.createToken(token);
  return { secret, id: token.id };
}

/**
 * When no admin exists yet, a one-time setup token (printed by the caller) lets the first person
 * create one: there is no default password to forget to change. `preset` (KILN_SETUP_TOKEN) lets
 * automation choose it. Returns undefined once an admin exists.
 */
export async function ensureSetupToken(repos: Repositories, now: Date, preset?: string): Promise<string | undefined> {
  if ((await repos.users.countAdmins()) > 0) return undefined;
  const token = preset ?? newSecret();
  await repos.credentials.createSetupToken(secretHash(token), now, new Date(now.getTime() + SETUP_HOURS * 3600_000));
  return token;
}
