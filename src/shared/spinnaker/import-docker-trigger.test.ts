import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../domain/pipeline-validate';
import type { ApplicationName } from '../domain/names';
import { importSpinnakerPipeline } from './import';
import { floodgateDemoPipeline } from './fixtures/floodgate-demo';

describe('importSpinnakerPipeline: a real pipeline with a Docker registry trigger (wurbanski/floodgate-demo)', () => {
  const result = importSpinnakerPipeline(floodgateDemoPipeline, 'demo' as ApplicationName, { accounts: { spinnaker: 'prod' }, regions: {} });
  if (!result.ok) throw new Error(result.error);
  const warnings = result.warnings.join('\n');

  it("maps the docker trigger to a registry trigger on Kiln's image named like the repository", () => {
    expect(result.draft.triggers).toEqual([
      { type: 'manual', enabled: true },
      { type: 'registry', enabled: true, image: 'spinnaker-demo', channel: 'latest' },
    ]);
    expect(warnings).toContain(
      "$.triggers[0]: docker trigger imported as a registry trigger on Kiln's image 'spinnaker-demo' (from repository 'wurbanski/spinnaker-demo' on index.docker.io, account my-docker-registry)",
    );
  });

  it('says what it could not keep of the trigger, by its path, and the draft passes the shared validation', () => {
    expect(warnings).toMatch(/\$\.triggers\[0\]\.expectedArtifactIds: not kept/);
    expect(validatePipeline(result.draft).problems).toEqual([]);
  });
});
