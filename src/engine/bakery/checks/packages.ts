import { PACKAGES_FILE } from '../debian-packages';
import { defineCheck } from './check';

const DPKG_STATUS = '/var/lib/dpkg/status';

/** Packages dpkg's status file says are installed ("Status: install ok installed"). */
export function installedPackages(status: string): Set<string> {
  const installed = new Set<string>();
  for (const stanza of status.split(/\n\s*\n/)) {
    const name = /^Package: (\S+)$/m.exec(stanza)?.[1];
    if (name && /^Status: install ok installed$/m.test(stanza)) installed.add(name);
  }
  return installed;
}

/** Every package a packages provisioner names is installed (dpkg says so) and listed in the image. */
export const packagesCheck = defineCheck({
  name: 'packages installed',
  applies: (image) => image.recipe.provisioners.some((p) => p.type === 'packages'),
  async run({ recipe, reader }) {
    const want = recipe.provisioners.flatMap((p) => (p.type === 'packages' ? p.packages : []));
    const status = await reader.read(DPKG_STATUS);
    if (status === undefined) return `${DPKG_STATUS} is missing, so no package can be installed`;
    const installed = installedPackages(status);
    const missing = want.filter((p) => !installed.has(p));
    if (missing.length) return `dpkg does not list ${missing.join(', ')} as installed`;
    const list = await reader.read(PACKAGES_FILE);
    const listed = new Set((list ?? '').split('\n').map((l) => l.trim()));
    const unlisted = want.filter((p) => !listed.has(p));
    return unlisted.length ? `${PACKAGES_FILE} lacks ${unlisted.join(', ')}` : undefined;
  },
});
