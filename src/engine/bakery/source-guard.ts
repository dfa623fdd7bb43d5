import { realpathSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import type { RecipeDraft } from '../../shared/domain/recipe';
import { BakeError } from './bake-error';
import { provisionerLabel } from './provisioners';
import type { BakeryPaths } from './store';

const real = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};
const within = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

/**
 * Kiln copies a recipe's host paths (a directory or tarball base, the artifact, file provisioners)
 * as root, outside the job sandbox; none of them may lie in Kiln's data directory, or a recipe
 * could bake Kiln's database (password hashes, webhook secrets), cloud state or other images into
 * an image its author can then read. Symlinks are resolved first, so a link does not get around it.
 */
export function refuseKilnDataSources(recipe: RecipeDraft, paths: BakeryPaths): void {
  const data = real(dirname(paths.images));
  if (!data) return;
  const sources: Array<{ path: string; step: string; field: string }> = [];
  if (recipe.base.type === 'directory' || recipe.base.type === 'tarball') sources.push({ path: recipe.base.path, step: 'base', field: 'base.path' });
  if (recipe.artifact && !/^https?:\/\//.test(recipe.artifact.source)) sources.push({ path: recipe.artifact.source, step: 'artifact', field: 'artifact.source' });
  recipe.provisioners.forEach((p, i) => {
    if (p.type === 'file') sources.push({ path: p.source, step: provisionerLabel(p, i), field: `provisioners.${i}.source` });
  });
  // Build stages copy from the host as the image does: the same rule, named by the stage's fields.
  (recipe.stages ?? []).forEach((stage, s) => {
    const step = `stage ${stage.name}`;
    if (stage.base.type === 'directory' || stage.base.type === 'tarball') sources.push({ path: stage.base.path, step, field: `stages.${s}.base.path` });
    if (stage.artifact && !/^https?:\/\//.test(stage.artifact.source)) sources.push({ path: stage.artifact.source, step, field: `stages.${s}.artifact.source` });
    stage.provisioners.forEach((p, i) => {
      if (p.type === 'file') sources.push({ path: p.source, step, field: `stages.${s}.provisioners.${i}.source` });
    });
  });
  for (const source of sources) {
    const path = real(source.path);
    if (path && (within(path, data) || within(data, path))) {
      throw new BakeError(
        source.step,
        `${source.path} is ${within(path, data) ? 'inside' : 'above'} Kiln's data directory (KILN_DATA): a recipe may not copy Kiln's database, cloud state or images into an image`,
        source.field,
      );
    }
  }
}
