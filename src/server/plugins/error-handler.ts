import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ApiError } from '../../shared/api/endpoint';
import { ConflictError, NotFoundError, RevisionConflictError, ValidationError } from '../../db/errors';
import { StoredRowError } from '../../db/sql';
import { EngineError } from '../../engine/index';

const CONTEXT_LABEL: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'body field',
  headers: 'header',
};

/** Thrown by handlers for a 4xx the schemas cannot express (e.g. a business rule). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiError['error'],
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const CODE_BY_STATUS: Record<number, ApiError['error']> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/** Every failure leaves as `{error, message, field?}`; a zod failure names the field it rejected. */
export function errorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const send = (status: number, body: ApiError) => reply.status(status).type('application/json').send(body);

    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const context = err.validationContext ?? 'body';
      const path = first?.instancePath.slice(1).replaceAll('/', '.') ?? '';
      const label = CONTEXT_LABEL[context] ?? context;
      const field = path === '' ? context : path;
      const detail = first?.message ?? 'is invalid';
      return send(400, {
        error: 'bad_request',
        message: path === '' ? `${label}s: ${detail}` : `${label} '${path}': ${detail}`,
        field,
      });
    }
    if (err instanceof HttpError) {
      return send(err.statusCode, {
        error: err.code,
        message: err.message,
        ...(err.field ? { field: err.field } : {}),
        ...(err.details ? { details: err.details } : {}),
      });
    }
    const raw: unknown = err;
    if (raw instanceof NotFoundError) {
      return send(404, { error: 'not_found', message: raw.message, ...(raw.field ? { field: raw.field } : {}) });
    }
    if (raw instanceof EngineError) {
      const status = { not_found: 404, conflict: 409, forbidden: 403, bad_request: 400 }[raw.kind];
      return send(status, { error: raw.kind, message: raw.message, ...(raw.field ? { field: raw.field } : {}) });
    }
    if (raw instanceof ValidationError) {
      return send(400, { error: 'bad_request', message: raw.message, field: raw.field });
    }
    if (raw instanceof StoredRowError) {
      // One unreadable row: say which, instead of a bare 500; the rest of Kiln keeps working around it.
      request.log.error({ err }, 'stored row does not parse');
      return send(500, { error: 'internal', message: `${raw.message}. The row is quarantined (see /api/health); repair or delete it.` });
    }
    if (raw instanceof RevisionConflictError) {
      return send(409, { error: 'conflict', message: raw.message, field: 'baseRevision', details: { current: raw.current } });
    }
    if (raw instanceof ConflictError) {
      return send(409, { error: 'conflict', message: raw.message, ...(raw.field ? { field: raw.field } : {}) });
    }
    if (isResponseSerializationError(err)) {
      // Our own output broke its contract: a server bug, logged with the zod cause.
      request.log.error({ err, cause: err.cause }, 'response failed its schema');
      return send(500, { error: 'internal', message: 'The server produced an invalid response; see the server log.' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'Request body is larger than the server accepts.'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? `Content-Type '${request.headers['content-type'] ?? ''}' is not supported; send application/json.`
            : err.message;
      return send(status, { error: CODE_BY_STATUS[status] ?? 'bad_request', message });
    }
    request.log.error({ err }, 'unhandled error');
    return send(500, { error: 'internal', message: 'Something went wrong on the server; see the server log.' });
  });
}
