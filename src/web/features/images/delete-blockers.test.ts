import { describe, expect, it } from 'vitest';
import { ImageDetail } from '../../../shared/domain/image';
import { deleteBlockers } from './delete-blockers';

const version = (n: number, channels: string[] = []) => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  name: 'base',
  version: `v${n}`,
  createdAt: '2026-01-01T00:00:00Z',
  build: { builder: 'bundle', tools: {}, packages: [] },
  digest: `sha256:${String(n).repeat(64)}`,
  sizeBytes: 1,
  format: 'bundle',
  artifact: `${n}.tar.zst`,
  revoked: false,
  channels,
});
const usage = (v: string, serverGroup: string, through?: string) => ({
  version: v,
  application: 'web',
  account: 'prod',
  region: 'east',
  cluster: 'web-prod',
  serverGroup,
  instances: 1,
  disabled: false,
  ...(through ? { through } : {}),
});
const detail = ImageDetail.parse({
  name: 'base',
  versions: [version(3, ['latest', 'production']), version(2), version(1)],
  channels: { latest: 'v3', production: 'v3' },
  history: [],
  ancestry: {},
  usage: [usage('v2', 'web-prod-v001'), usage('v2', 'web-prod-v002', 'app:v4')],
});

describe('why a version cannot be deleted', () => {
  it('names the server groups running it, directly or through an image built on it, and the channels on it', () => {
    expect(deleteBlockers(detail, 'v2')).toEqual(['it runs in web-prod-v001 (prod/east), web-prod-v002 (prod/east) via app:v4']);
    expect(deleteBlockers(detail, 'v3')).toEqual(['channels latest, production point at it']);
    expect(deleteBlockers(detail, 'v1')).toEqual([]);
  });
});
