import type { RecipeDraft } from '../../../shared/domain/recipe';
import type { BakeLog } from '../bake-log';

/** Reads files of a built image: from the root directory (bundles) or with debugfs (disk images). */
export interface ImageReader {
  exists(path: string): Promise<boolean>;
  read(path: string): Promise<string | undefined>;
}

export interface ImageUnderTest {
  format: 'bundle' | 'disk' | 'oci';
  recipe: RecipeDraft;
  reader: ImageReader;
  /** The unpacked root of a bundle (what the boot check starts). */
  root?: string | undefined;
  /** The raw filesystem image of a disk build (what the QEMU boot check boots). */
  diskImage?: string | undefined;
  log: BakeLog;
}

/**
 * One check of the image test suite (the seed's "immune system": each bug found becomes a check).
 * `run` resolves to undefined when the image passes, or to a sentence saying why it fails.
 */
export interface ImageCheck {
  name: string;
  applies(image: ImageUnderTest): boolean;
  run(image: ImageUnderTest): Promise<string | undefined>;
}

export function defineCheck(check: ImageCheck): ImageCheck {
  return check;
}
