import type { ImageCheck, ImageUnderTest } from './check';
import { filesPresentCheck } from './files-present';
import { hostnameCheck } from './hostname';
import { fstabCheck } from './fstab';
import { firstBootUnitCheck } from './first-boot-unit';
import { packagesCheck } from './packages';
import { bootCheck } from './boot';
import { qemuBootCheck } from './qemu-boot';
import { BakeError } from '../bake-error';

/** The image test suite, in order; adding a check is one file and one line here. */
export const IMAGE_CHECKS: readonly ImageCheck[] = [filesPresentCheck, hostnameCheck, fstabCheck, firstBootUnitCheck, packagesCheck, bootCheck, qemuBootCheck];

/** Runs every check that applies; the first failure stops the bake with the check's name and why. */
export async function runImageTests(image: ImageUnderTest, checks: readonly ImageCheck[] = IMAGE_CHECKS): Promise<string[]> {
  const passed: string[] = [];
  for (const check of checks) {
    if (!check.applies(image)) continue;
    const step = `test: ${check.name}`;
    const why = await image.log.step(step, () => check.run(image));
    if (why !== undefined) {
      image.log.error(step, why);
      throw new BakeError(step, `image test '${check.name}' failed: ${why}`);
    }
    image.log.say(step, 'passed');
    passed.push(check.name);
  }
  return passed;
}
