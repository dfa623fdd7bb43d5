import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecipeDraft, type RecipeDraftInput } from '../../../shared/domain/recipe';
import type { ImageVersion } from '../../../shared/domain/image';
import type { Repositories } from '../../../db/types';
import { bake } from '../../bakery/bake';
import type { BakeLog } from '../../bakery/bake-log';
import { BAKERY_FORMAT } from '../../bakery/cache-key';
import { artifactPath, bakeryPaths, type BakeryPaths } from '../../bakery/store';
import { vmBootFiles } from '../../bakery/vm-boot';

/** What decides a VM image's bytes besides the recipe: the bakery's VM preparation and the agent it installs. */
const VM_SOURCES = [
  '../../bakery/vm-boot.ts',
  '../../../shared/provisioning/vm-boot.ts',
  '../../../shared/provisioning/first-boot-agent.ts',
  '../../../shared/provisioning/first-boot-agent-script.ts',
];

/**
 * A test's bake of a VM image, kept per machine (beside the .debs cache) and registered again in each
 * test's fresh database: a Debian VM bake takes minutes, and its bytes change only with the recipe or
 * the bakery's VM code (both in the key). The first test on a machine bakes for real.
 */
export async function bakeOrReuse(deps: { repos: Repositories; log: BakeLog }, input: RecipeDraftInput): Promise<{ image: ImageVersion; paths: BakeryPaths; reused: boolean }> {
  const hash = createHash('sha256').update(JSON.stringify({ format: BAKERY_FORMAT, recipe: RecipeDraft.parse(input) }));
  for (const f of VM_SOURCES) hash.update(readFileSync(join(import.meta.dirname, f)));
  const dir = join(process.env.KILN_TEST_BAKED_CACHE ?? join(tmpdir(), 'kiln-test-baked'), hash.digest('hex').slice(0, 24));
  const paths = { ...bakeryPaths(dir), debs: join(tmpdir(), 'kiln-test-debs') };
  const recipe = await deps.repos.recipes.create(RecipeDraft.parse(input), 'tester');
  const saved = join(dir, 'image.json');
  if (existsSync(saved)) {
    const kept = JSON.parse(readFileSync(saved, 'utf8')) as ImageVersion;
    const boot = vmBootFiles(paths, kept.artifact);
    if ([artifactPath(paths, kept.artifact), boot.kernel, boot.initrd].every((f) => existsSync(f))) {
      const image = await deps.repos.images.create(
        {
          name: kept.name,
          recipe: { id: recipe.id, name: recipe.name, revision: recipe.revision },
          build: kept.build,
          digest: kept.digest,
          sizeBytes: kept.sizeBytes,
          format: kept.format,
          artifact: kept.artifact,
        },
        'tester',
      );
      return { image, paths, reused: true };
    }
  }
  const { image } = await bake({ repos: deps.repos, paths, log: deps.log }, { recipe, by: 'tester' });
  writeFileSync(saved, JSON.stringify(image));
  return { image, paths, reused: false };
}
