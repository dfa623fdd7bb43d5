import { describe, expect, it } from 'vitest';
import { spinnakerAccountsOf } from './accounts-of';
import { awsFindImageClone, gceBakeDeploy } from './test-pipelines';
import { clusterOperations, jenkinsManifest } from './test-ops-pipelines';

describe('spinnakerAccountsOf', () => {
  it('lists the cloud accounts stages, clusters and preconditions name, once each, not registries of triggers', () => {
    expect(spinnakerAccountsOf(gceBakeDeploy)).toEqual(['gce-prod', 'gce-test']);
    expect(spinnakerAccountsOf(awsFindImageClone)).toEqual(['aws-prod', 'aws-test']);
    expect(spinnakerAccountsOf([clusterOperations, jenkinsManifest])).toContain('k8s-prod');
    expect(spinnakerAccountsOf(jenkinsManifest)).not.toContain('dockerhub');
    expect(spinnakerAccountsOf({ stages: [{ type: 'deploy', account: '${ parameters.account }' }] })).toEqual([]);
  });
});
