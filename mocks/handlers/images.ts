import {
  assignImageChannel,
  deleteImageVersion,
  getImage,
  listImageFlags,
  listImages,
  lookupImage,
  pushImageVersion,
  restoreImage,
  revokeImage,
} from '../../src/shared/api/images';
import { descendantsOf, staleParent } from '../../src/shared/bakery/lineage';
import { flagRunningImage } from '../../src/shared/bakery/image-flags';
import { ancestorsOf, effectiveRevocation, type RevocationNode } from '../../src/shared/bakery/revocation';
import { ImageDetail, ImageSummary, ImageVersion, type ChannelAssignment, type ImagePush, type ImageUsage } from '../../src/shared/domain/image';
import { db } from '../db';
import { conflict, handleEndpoint, MockApiError, notFound } from '../handle-endpoint';
import { SHOP_WEB_RECIPE } from './recipes';

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
const hex = (seed: string) =>
  [...seed.padEnd(32, '.')]
    .slice(0, 32)
    .map((c) => c.charCodeAt(0).toString(16).padStart(2, '0'))
    .join('');

interface StoredImage {
  id: string;
  name: string;
  n: number;
  hoursAgo: number;
  parent?: string;
  revision?: number;
  commit?: string;
  own?: { at: string; reason: string; by: string };
  restoration?: { at: string; reason: string; by: string; lifted: { at: string; reason: string; by: string } };
  /** Bundles unless said: shop-web v3 is an OCI image, the one that can go to a registry. */
  format?: 'oci';
}

// node-base v1 is revoked (an OpenSSL fix), so shop-web v1 built on it is revoked through its ancestor.
const stored: StoredImage[] = [
  {
    id: '0b5e0000-0000-4000-8000-000000000001',
    name: 'node-base',
    n: 1,
    hoursAgo: 70,
    own: { at: ago(20), reason: 'OpenSSL 3.0.13 in the base has CVE-2026-0042', by: 'security' },
  },
  { id: '0b5e0000-0000-4000-8000-000000000002', name: 'node-base', n: 2, hoursAgo: 21 },
  { id: '0b5e0000-0000-4000-8000-000000000011', name: 'shop-web', n: 1, hoursAgo: 47, parent: '0b5e0000-0000-4000-8000-000000000001', revision: 1, commit: '4f2a9c1e8b' },
  { id: '0b5e0000-0000-4000-8000-000000000012', name: 'shop-web', n: 2, hoursAgo: 20, parent: '0b5e0000-0000-4000-8000-000000000002', revision: 1, commit: '9e1d7b3a42' },
  {
    id: '0b5e0000-0000-4000-8000-000000000013',
    name: 'shop-web',
    n: 3,
    hoursAgo: 4,
    parent: '0b5e0000-0000-4000-8000-000000000002',
    revision: 2,
    commit: 'c03f5e6d91',
    format: 'oci',
  },
];
const channels: Record<string, string> = {
  'node-base/latest': '0b5e0000-0000-4000-8000-000000000002',
  'shop-web/latest': '0b5e0000-0000-4000-8000-000000000013',
  'shop-web/production': '0b5e0000-0000-4000-8000-000000000012',
};
const history: Array<ChannelAssignment & { name: string }> = [
  { name: 'shop-web', channel: 'production', version: 'v1', at: ago(40), by: 'anonymous' },
  { name: 'shop-web', channel: 'production', version: 'v2', previous: 'v1', at: ago(19), by: 'anonymous' },
];

// Copies of the seeded state: web tests share one module instance per worker (isolate: false), so
// resetImages() puts back what a test revoked, moved, pushed or deleted.
const seeded = structuredClone({ stored, channels, history });
export function resetImages(): void {
  const fresh = structuredClone(seeded);
  stored.splice(0, stored.length, ...fresh.stored);
  for (const key of Object.keys(channels)) delete channels[key];
  Object.assign(channels, fresh.channels);
  history.splice(0, history.length, ...fresh.history);
  pushed.splice(0, pushed.length);
}

const ref = (s: StoredImage) => `${s.name}:v${s.n}`;
/** Pushes made in this session ("Push to…"), newest first, before the one built in. */
const pushed: ImagePush[] = [];

// The same lineage rules as the registry: a child built on an older parent version is stale.
export function versions(): ImageVersion[] {
  const all = plainVersions();
  return all.map((v) => {
    const stale = staleParent(v, all);
    return stale ? { ...v, staleParent: stale } : v;
  });
}

function plainVersions(): ImageVersion[] {
  const nodes = new Map<string, RevocationNode>(stored.map((s) => [s.id, { id: s.id, ref: ref(s), parentId: s.parent, own: s.own }]));
  return stored.map((s) => {
    const { revocation, revoked } = effectiveRevocation(s.id, nodes, new Date());
    const parent = stored.find((p) => p.id === s.parent);
    return ImageVersion.parse({
      id: s.id,
      name: s.name,
      version: `v${s.n}`,
      createdAt: ago(s.hoursAgo),
      ...(s.revision ? { recipe: { id: SHOP_WEB_RECIPE, name: s.name, revision: s.revision } } : {}),
      build: {
        builder: s.format ?? 'bundle',
        tools: { tar: 'tar (GNU tar) 1.35', zstd: 'Zstandard CLI (64-bit) v1.5.4' },
        packages: ['iotop', 'mtr-tiny', 'sysstat'],
        durationMs: 4200,
        ...(s.commit ? { git: { commit: s.commit, ref: 'main' }, buildNumber: 100 + s.n, ciRunUrl: `https://ci.example.com/job/${s.name}/${100 + s.n}/` } : {}),
      },
      digest: `sha256:${hex(ref(s))}`,
      sizeBytes: 180_000 + s.n * 1024,
      format: s.format ?? 'bundle',
      artifact: `${hex(ref(s))}${s.format === 'oci' ? '.oci.tar' : '.tar.zst'}`,
      ...(parent ? { parent: { id: parent.id, ref: ref(parent) } } : {}),
      run:
        s.name === 'shop-web'
          ? { entrypoint: 'app/server.mjs', healthPath: '/ready', resources: { cpu: 0.5, memoryMiB: 256 } }
          : { entrypoint: 'server.mjs', healthPath: '/health' },
      ...(revocation ? { revocation } : {}),
      revoked,
      ...(s.restoration ? { restoration: s.restoration } : {}),
      channels: Object.entries(channels)
        .filter(([k, id]) => id === s.id && k.startsWith(`${s.name}/`))
        .map(([k]) => k.split('/')[1]!)
        .sort(),
    });
  });
}

function detail(name: string): ImageDetail {
  const all = versions();
  const own = all.filter((v) => v.name === name).reverse();
  if (own.length === 0) throw notFound(`Image '${name}' is not in the registry.`, 'name');
  const nodes = new Map<string, RevocationNode>(all.map((v) => [v.id, { id: v.id, ref: `${v.name}:${v.version}`, parentId: v.parent?.id }]));
  const usage: ImageUsage[] = db.serverGroups
    .filter((g) => g.image.name === name && /^v\d+$/.test(g.image.version))
    .map((g) => ({
      version: g.image.version,
      application: g.application,
      account: g.account,
      region: g.region,
      cluster: g.cluster,
      serverGroup: g.name,
      instances: g.instances.length,
      disabled: g.disabled,
    }));
  // Groups running an image built on one of these versions count too, under the version they come from.
  for (const v of own) {
    for (const child of descendantsOf(v.id, all)) {
      for (const g of db.serverGroups.filter((x) => x.image.name === child.name && x.image.version === child.version)) {
        usage.push({
          version: v.version,
          application: g.application,
          account: g.account,
          region: g.region,
          cluster: g.cluster,
          serverGroup: g.name,
          instances: g.instances.length,
          disabled: g.disabled,
          through: `${child.name}:${child.version}`,
        });
      }
    }
  }
  return ImageDetail.parse({
    name,
    versions: own,
    channels: Object.fromEntries(own.flatMap((v) => v.channels.map((c) => [c, v.version]))),
    history: history
      .filter((h) => h.name === name)
      .reverse()
      .map(({ name: _n, ...h }) => h),
    ancestry: Object.fromEntries(own.map((v) => [v.version, ancestorsOf(v.id, nodes).map((a) => ({ ref: a.ref, revoked: all.find((x) => x.id === a.id)!.revoked }))])),
    usage,
    // One push, so the registry page shows where a version went (the BFF reads image_pushes).
    pushes: [
      ...pushed.filter((p) => p.name === name && own.some((v) => v.version === p.version)),
      ...(name === 'shop-web' && own.some((v) => v.version === 'v3')
        ? [
            {
              name,
              version: 'v3',
              registry: 'registry.example.com/shop',
              repository: 'registry.example.com/shop/shop-web',
              digest: `sha256:${hex('shop-web:v3@registry')}`,
              pushedAt: ago(3),
            },
          ]
        : []),
    ],
  });
}

function findStored(name: string, version: string): StoredImage {
  const s = stored.find((i) => i.name === name && `v${i.n}` === version);
  if (!s) throw notFound(`image '${name}' has no version '${version}'`, stored.some((i) => i.name === name) ? 'version' : 'name');
  return s;
}

export const imageHandlers = {
  listImages: handleEndpoint(listImages, () => {
    const all = versions();
    return [...new Set(all.map((v) => v.name))].sort().map((name) => {
      const own = all.filter((v) => v.name === name);
      return ImageSummary.parse({
        name,
        versions: own.length,
        latest: own[own.length - 1],
        channels: Object.fromEntries(own.flatMap((v) => v.channels.map((c) => [c, v.version]))),
      });
    });
  }),
  getImage: handleEndpoint(getImage, ({ params }) => detail(params.name)),
  assignImageChannel: handleEndpoint(assignImageChannel, ({ params, body }) => {
    const s = findStored(params.name, body.version);
    const v = versions().find((x) => x.id === s.id)!;
    if (v.revoked) {
      const why = v.revocation?.from ? `its ancestor ${v.revocation.from} is revoked` : 'it is revoked';
      throw conflict(`${params.name}:${body.version} cannot be put on channel '${params.channel}': ${why} (${v.revocation?.reason ?? ''})`, 'version');
    }
    const previousId = channels[`${params.name}/${params.channel}`];
    const previous = stored.find((p) => p.id === previousId);
    channels[`${params.name}/${params.channel}`] = s.id;
    const entry = { channel: params.channel, version: body.version, at: new Date().toISOString(), by: 'anonymous', ...(previous ? { previous: `v${previous.n}` } : {}) };
    history.push({ name: params.name, ...entry });
    return entry;
  }),
  revokeImage: handleEndpoint(revokeImage, ({ params, body }) => {
    const s = findStored(params.name, params.version);
    s.own = { at: body.at ?? new Date().toISOString(), reason: body.reason, by: 'anonymous' };
    return versions().find((v) => v.id === s.id)!;
  }),
  restoreImage: handleEndpoint(restoreImage, ({ params, body }) => {
    const s = findStored(params.name, params.version);
    if (!s.own) {
      const from = versions().find((v) => v.id === s.id)?.revocation?.from;
      throw conflict(
        from ? `${params.name}:${params.version} is revoked through its ancestor ${from}: restore that one` : `${params.name}:${params.version} is not revoked`,
        'version',
      );
    }
    s.restoration = { at: new Date().toISOString(), reason: body.reason, by: 'anonymous', lifted: s.own };
    delete s.own;
    return versions().find((v) => v.id === s.id)!;
  }),
  deleteImageVersion: handleEndpoint(deleteImageVersion, ({ params }) => {
    const s = findStored(params.name, params.version);
    const d = detail(params.name);
    const reasons = [
      ...d.usage.filter((u) => u.version === params.version).map((u) => `server group ${u.application}/${u.account}/${u.region}/${u.serverGroup} runs it`),
      ...(d.versions.find((v) => v.version === params.version)?.channels ?? []).map((c) => `channel ${c} points at it`),
      ...stored.filter((c) => c.parent === s.id).map((c) => `image ${ref(c)} is built on it`),
    ];
    if (reasons.length) throw conflict(`${params.name}:${params.version} cannot be deleted: ${reasons.join('; ')}.`, 'version');
    stored.splice(stored.indexOf(s), 1);
    return { name: params.name, version: params.version, deleted: true as const, filesRemoved: true };
  }),
  pushImageVersion: handleEndpoint(pushImageVersion, ({ params, body }) => {
    const s = findStored(params.name, params.version);
    if (s.format !== 'oci') throw new MockApiError(400, { error: 'bad_request', message: `${ref(s)} is a bundle image; only oci images go to a registry`, field: 'version' });
    const account = db.accounts.find((a) => a.name === body.account);
    if (!account) throw notFound(`account '${body.account}' does not exist`, 'account');
    const registry = account.endpoint.registry;
    if (!registry) throw new MockApiError(400, { error: 'bad_request', message: `account '${account.name}' names no registry to push to`, field: 'account' });
    const push = {
      name: s.name,
      version: params.version,
      registry,
      repository: `${registry}/${s.name}`,
      digest: `sha256:${hex(`${ref(s)}@${registry}`)}`,
      pushedAt: new Date().toISOString(),
    };
    pushed.splice(0, pushed.length, push, ...pushed.filter((p) => !(p.name === push.name && p.version === push.version && p.registry === registry)));
    return { ...push, log: [`pushing ${ref(s)} to ${registry}`, `pushed ${push.repository}:${params.version} as ${push.digest}`] };
  }),
  lookupImage: handleEndpoint(lookupImage, ({ query }) => {
    const sg = query.instanceId
      ? db.serverGroups.find((g) => g.instances.some((i) => i.id === query.instanceId))
      : db.serverGroups.find((g) => g.account === query.account && g.region === query.region && g.name === query.serverGroup);
    if (!sg)
      throw notFound(
        query.instanceId ? `Instance '${query.instanceId}' does not exist.` : `Server group '${query.serverGroup}' does not exist.`,
        query.instanceId ? 'instanceId' : 'serverGroup',
      );
    const registry = versions().find((v) => v.name === sg.image.name && v.version === sg.image.version);
    return {
      serverGroup: { application: sg.application, account: sg.account, region: sg.region, name: sg.name },
      ...(query.instanceId ? { instanceId: query.instanceId } : {}),
      image: sg.image,
      ...(registry ? { registry } : {}),
    };
  }),
  listImageFlags: handleEndpoint(listImageFlags, ({ params }) =>
    db.serverGroups
      .filter((g) => g.application === params.application)
      .flatMap((g) => {
        const registry = stored.some((s) => s.name === g.image.name) ? detail(g.image.name) : undefined;
        const flag = flagRunningImage(g.image, registry);
        return flag ? [{ account: g.account, region: g.region, serverGroup: g.name, image: g.image, ...flag }] : [];
      }),
  ),
};
