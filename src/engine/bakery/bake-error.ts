/** A bake that stopped: `step` says where (a provisioner, a check, a tool), the message says why. */
export class BakeError extends Error {
  constructor(
    readonly step: string,
    message: string,
    /** The recipe field at fault, when the cause is the recipe (a revoked parent, a missing base). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'BakeError';
  }
}
