import type { Queryable, Session } from '../types';

/** Serializes writes to the registry's channel log on PostgreSQL, so its ids become visible in order ("klog" in ASCII). */
export const CHANNEL_LOG_LOCK = 0x6b6c6f67;

/** A registry trigger: its pipeline, and its id (or its position, for triggers saved before triggers had ids). */
export interface TriggerKey {
  pipelineId: string;
  triggerId: string;
}

/** Work done in the transaction of another repository's write (executions.create), so both happen or neither. */
export type TransactionStep = (tx: Session) => Promise<void>;

/** Another Kiln process moved the cursor first: what this one was about to do is its to do, or done. */
export class StaleCursorError extends Error {
  constructor(key: TriggerKey) {
    super(`registry trigger ${key.pipelineId}/${key.triggerId} was advanced by another process`);
    this.name = 'StaleCursorError';
  }
}

export interface RegistryCursorRepository {
  /** The last channel-log id each trigger has read, by `pipelineId/triggerId`. */
  list(): Promise<Map<string, number>>;
  /**
   * Where a trigger with no cursor yet starts: after every move made before `since` (a new trigger
   * fires only for what happens after it was set up). Kept if another process started it first.
   */
  start(key: TriggerKey, since: string): Promise<number>;
  /** Moves the cursor from `from` to `to`; false when another process moved it first. */
  advance(key: TriggerKey, from: number, to: number): Promise<boolean>;
  /** The same, as a step of the transaction that stores the run it starts: that write fails (StaleCursorError) when the cursor moved. */
  advancing(key: TriggerKey, from: number, to: number): TransactionStep;
}

export const cursorKey = (key: TriggerKey) => `${key.pipelineId}/${key.triggerId}`;

async function advance(db: Queryable, key: TriggerKey, from: number, to: number): Promise<boolean> {
  // Compare-and-set: of two processes that read the same cursor, only the first to write moves it.
  const { rowCount } = await db.query(
    `update registry_trigger_cursors set last_move_id = $4, updated_at = now()
     where pipeline_id = $1 and trigger_id = $2 and last_move_id = $3`,
    [key.pipelineId, key.triggerId, from, to],
  );
  return rowCount > 0;
}

export function registryCursorRepository(db: Queryable): RegistryCursorRepository {
  return {
    async list() {
      const { rows } = await db.query<{ pipeline_id: string; trigger_id: string; last_move_id: string | number }>(
        'select pipeline_id, trigger_id, last_move_id from registry_trigger_cursors',
      );
      return new Map(rows.map((r) => [cursorKey({ pipelineId: r.pipeline_id, triggerId: r.trigger_id }), Number(r.last_move_id)]));
    },

    async start(key, since) {
      await db.query(
        `insert into registry_trigger_cursors (pipeline_id, trigger_id, last_move_id)
         select $1, $2, coalesce(max(id), 0) from image_channel_history where at < $3
         on conflict (pipeline_id, trigger_id) do nothing`,
        [key.pipelineId, key.triggerId, since],
      );
      const { rows } = await db.query<{ last_move_id: string | number }>('select last_move_id from registry_trigger_cursors where pipeline_id = $1 and trigger_id = $2', [
        key.pipelineId,
        key.triggerId,
      ]);
      return Number(rows[0]!.last_move_id);
    },

    advance: (key, from, to) => advance(db, key, from, to),

    advancing: (key, from, to) => async (tx) => {
      if (!(await advance(tx, key, from, to))) throw new StaleCursorError(key);
    },
  };
}
