import type { FastifyRequest } from 'fastify';
import { can } from '../../shared/domain/user';

/** Whether the signed-in user may see an application's things (lists drop what they may not). */
export function canRead(request: FastifyRequest, application: string): boolean {
  return can(request.me, 'READ', { application });
}
