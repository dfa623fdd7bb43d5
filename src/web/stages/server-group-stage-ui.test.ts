import { describe, expect, it } from 'vitest';
import { stageUi } from './registry';

const types = ['enableServerGroup', 'disableServerGroup', 'resizeServerGroup', 'destroyServerGroup'] as const;

describe('server-group stage UIs', () => {
  it('sum up which server group of which cluster each stage acts on, with its own verb', () => {
    expect(stageUi('enableServerGroup').summary({ cluster: 'web-prod' })).toBe('enable newest of web-prod');
    expect(
      stageUi('disableServerGroup').summary({
        cluster: 'web-prod',
        target: 'previous',
      }),
    ).toBe('disable previous of web-prod');
    expect(
      stageUi('resizeServerGroup').summary({
        cluster: ' ',
        serverGroup: 'web-prod-v003',
      }),
    ).toBe('resize web-prod-v003 of ?');
    expect(
      stageUi('destroyServerGroup').summary({
        cluster: 'web-prod',
        target: 'oldest',
      }),
    ).toBe('destroy oldest of web-prod');
  });

  it('explain the shared target fields alike, and resize its capacity fields too', () => {
    for (const type of types) {
      const help = stageUi(type).help as Record<string, string>;
      expect(help.target).toBe('Which server group of the cluster: newest, previous or oldest.');
      expect(help.serverGroup).toBe('Or name one explicitly (it must belong to the cluster).');
      expect(Object.keys(help)).toEqual(expect.arrayContaining(['account', 'region', 'cluster', 'target', 'serverGroup']));
      expect(stageUi(type).tone).toContain('bg-orange-100');
    }
    expect(Object.keys(stageUi('resizeServerGroup').help)).toEqual(expect.arrayContaining(['capacity', 'healthyTimeoutSec']));
    expect(stageUi('enableServerGroup').help).not.toHaveProperty('capacity');
  });
});
