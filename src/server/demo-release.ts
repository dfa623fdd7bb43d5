import { DEMO_ACCOUNT, DEMO_APPLICATION, DEMO_PIPELINE } from '../db/seed-demo-world';
import type { Repositories } from '../db/types';
import type { Engine } from '../engine/index';
import type { Execution } from '../shared/domain/execution';

/** The cause the first release is fired under: two Kiln processes starting at once start it once. */
export const DEMO_RELEASE_CAUSE = 'demo/first-release';

/**
 * Starts the demo's first release — bake v1, staging, smoke test, production — so a newcomer finds
 * a real deployment and a history that is not empty. Only for a demo application that was never
 * released (a restart, or a database someone uses, is left alone). Runs as the demo's service
 * account, whose run skips the judgment by the stage's condition; every later run waits for a person.
 */
export async function startDemoRelease(repos: Repositories, engine: Engine): Promise<Execution | undefined> {
  const application = await repos.applications.get(DEMO_APPLICATION);
  if (!application?.demo) return undefined;
  const pipeline = (await repos.pipelines.listByApplication(DEMO_APPLICATION)).find((p) => p.name === DEMO_PIPELINE);
  if (!pipeline) return undefined;
  const { executions } = await repos.executions.list(DEMO_APPLICATION, { pipelineId: pipeline.id, limit: 1 });
  if (executions.length > 0) return undefined;
  const { execution } = await engine.fire(pipeline, { type: 'manual', user: DEMO_ACCOUNT, parameters: {} }, `${DEMO_RELEASE_CAUSE}/${pipeline.id}`);
  return execution;
}
