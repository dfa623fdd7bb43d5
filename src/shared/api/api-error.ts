/** The codes of the BFF's error answers (`ApiError` in endpoint.ts is the schema built on them). */
export const API_ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'too_many_requests',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorBody {
  error: ApiErrorCode;
  message: string;
  field?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The BFF's error answer, checked without zod: the client reads every refusal with it, and the
 * dashboard's first page must not wait for zod to load (endpoint.test.ts holds it to `ApiError`).
 */
export function readApiError(json: unknown): ApiErrorBody | undefined {
  if (!isRecord(json)) return undefined;
  const { error, message, field, details } = json;
  if (typeof error !== 'string' || !(API_ERROR_CODES as readonly string[]).includes(error) || typeof message !== 'string') return undefined;
  if (field !== undefined && typeof field !== 'string') return undefined;
  if (details !== undefined && !isRecord(details)) return undefined;
  return {
    error: error as ApiErrorCode,
    message,
    ...(field !== undefined ? { field } : {}),
  };
}
