import type { Session } from '../types';

/** Who holds a claim on an image version: a stage of an execution. */
export interface ImageClaimHolder {
  executionId: string;
  stageRefId: string;
}

export type ImageClaimOutcome =
  /** The registry holds the version and the claim is recorded: a delete is refused until the stage ends. */
  | { kind: 'claimed'; name: string; version: string }
  /** The registry has the image but not this version or channel (never baked, or deleted): nothing to run. */
  | { kind: 'missing'; name: string }
  /** Not a registry image (the built-in sample app, an engine's own image): nothing to claim. */
  | { kind: 'not-registry' };

/** A running stage that claimed the version, as a delete names it. */
export interface ImageClaimant {
  executionId: string;
  application: string;
  pipeline: string;
  stage: string;
}

/** Execution and stage statuses under which a claim still holds (the stage may yet launch its group). */
export const LIVE_CLAIM_SQL = `e.status in ('NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED', 'SUSPENDED') and s.status in ('NOT_STARTED', 'RUNNING', 'PAUSED', 'SUSPENDED')`;

export interface ImageClaimRepository {
  /**
   * Resolves `name:vN` or `name@channel` and records the holder's claim on that version in one
   * transaction, with the version's row locked against a delete (imageVersionDeletion takes the same
   * row FOR UPDATE): either the delete commits first and this finds the version gone, or the claim
   * commits first and the delete sees it. Claiming twice is harmless (a retried step).
   */
  claim(selector: string, holder: ImageClaimHolder): Promise<ImageClaimOutcome>;
  /** The live claims on an image version (by its row id), for a delete to name. */
  claimants(imageId: string): Promise<ImageClaimant[]>;
}

export function imageClaimRepository(db: Session): ImageClaimRepository {
  return {
    claim(selector, holder) {
      const at = selector.indexOf('@');
      const colon = selector.lastIndexOf(':');
      const name = at > 0 ? selector.slice(0, at) : colon > 0 ? selector.slice(0, colon) : selector;
      const label = at > 0 ? undefined : colon > 0 ? selector.slice(colon + 1) : undefined;
      return db.transaction(async (tx) => {
        const number = label !== undefined && /^v[1-9][0-9]*$/.test(label) ? Number(label.slice(1)) : undefined;
        // Not the registry's `name:vN` or `name@channel`: the provider says what it makes of it.
        if (at <= 0 && (number === undefined || !Number.isSafeInteger(number))) return { kind: 'not-registry' as const };
        const known = (await tx.query(`select 1 from images where name = $1 limit 1`, [name])).rows.length > 0;
        if (!known) return { kind: 'not-registry' as const };
        const rows =
          at > 0
            ? (
                await tx.query<{ id: string; version: number }>(
                  `select i.id, i.version from image_channels c join images i on i.id = c.image_id where c.name = $1 and c.channel = $2 for share of i`,
                  [name, selector.slice(at + 1)],
                )
              ).rows
            : (await tx.query<{ id: string; version: number }>(`select id, version from images where name = $1 and version = $2 for share`, [name, number])).rows;
        const image = rows[0];
        if (!image) return { kind: 'missing' as const, name };
        await tx.query(`insert into image_claims (image_id, execution_id, stage_ref_id) values ($1, $2, $3) on conflict do nothing`, [
          image.id,
          holder.executionId,
          holder.stageRefId,
        ]);
        return { kind: 'claimed' as const, name, version: `v${image.version}` };
      });
    },

    async claimants(imageId) {
      const { rows } = await db.query<{ execution_id: string; application: string; pipeline_name: string; stage_name: string }>(
        `select c.execution_id, e.application, e.pipeline_name, s.name as stage_name
           from image_claims c
           join executions e on e.id = c.execution_id
           join execution_stages s on s.execution_id = c.execution_id and s.ref_id = c.stage_ref_id
          where c.image_id = $1 and ${LIVE_CLAIM_SQL}
          order by c.claimed_at, c.execution_id`,
        [imageId],
      );
      return rows.map((r) => ({ executionId: r.execution_id, application: r.application, pipeline: r.pipeline_name, stage: r.stage_name }));
    },
  };
}
