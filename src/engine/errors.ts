/** A refusal with its HTTP meaning; the BFF maps `kind` to 400/403/404/409. */
export class EngineError extends Error {
  constructor(
    readonly kind: 'bad_request' | 'forbidden' | 'not_found' | 'conflict',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
