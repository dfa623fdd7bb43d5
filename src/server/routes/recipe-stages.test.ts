import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Recipe } from '../../shared/domain/recipe';
import { openTestApp } from '../test-app';

let app: FastifyInstance;
let close: () => Promise<void>;
beforeAll(async () => ({ app, close } = await openTestApp({ seed: false })), 60_000);
afterAll(() => close());

const post = (payload: object) => app.inject({ method: 'POST', url: '/api/recipes', payload });

const TWO_STAGES = `
name: shop-small
builder: oci
base: { type: scratch }
stages:
  - name: build
    base: { type: debian, suite: bookworm, variant: apt }
    provisioners:
      - type: packages
        packages: [nodejs, npm]
      - type: shell
        name: npm ci and build
        script: cd src && npm ci && npm test && npm run build
copy:
  - { from: build, source: /src/dist, destination: /app }
run: { entrypoint: app/server.mjs }
`;

describe('multi-stage recipes through the API', () => {
  it('saves a recipe with a build stage and the copies its image takes from it', async () => {
    const res = await post({ yaml: TWO_STAGES });
    expect(res.statusCode).toBe(201);
    const recipe = Recipe.parse(res.json());
    expect(recipe.stages).toEqual([
      {
        name: 'build',
        base: { type: 'debian', suite: 'bookworm', variant: 'apt' },
        provisioners: [
          { type: 'packages', packages: ['nodejs', 'npm'] },
          { type: 'shell', name: 'npm ci and build', script: 'cd src && npm ci && npm test && npm run build' },
        ],
      },
    ]);
    expect(recipe.copy).toEqual([{ from: 'build', source: '/src/dist', destination: '/app' }]);
  });

  it('answers 400 naming the field: a copy from an unknown stage, a path outside the stage, a circle, a stage named twice', async () => {
    const stage = (name: string, copy: object[] = []) => ({ name, base: { type: 'scratch' }, copy });
    const cases: Array<[object, string, RegExp]> = [
      [
        { name: 'x', stages: [stage('build')], copy: [{ from: 'biuld', source: '/out', destination: '/app' }] },
        'copy.0.from',
        /no build stage named 'biuld' \(the stages are 'build'\)/,
      ],
      [{ name: 'x', copy: [{ from: 'build', source: '/out', destination: '/app' }] }, 'copy.0.from', /the recipe declares no stages/],
      [{ name: 'x', stages: [stage('build')], copy: [{ from: 'build', source: '/out/../../etc/shadow', destination: '/app' }] }, 'copy.0.source', /must not contain '\.\.'/],
      [{ name: 'x', stages: [stage('build')], copy: [{ from: 'build', source: '/out', destination: '../etc' }] }, 'copy.0.destination', /must not contain '\.\.'/],
      [
        { name: 'x', stages: [stage('a', [{ from: 'b', source: '/x', destination: '/x' }]), stage('b', [{ from: 'a', source: '/y', destination: '/y' }])] },
        'stages.1.copy.0.from',
        /stages copy from each other in a circle \(a → b → a\)/,
      ],
      [{ name: 'x', stages: [stage('a', [{ from: 'a', source: '/x', destination: '/x' }])] }, 'stages.0.copy.0.from', /circle \(a → a\)/],
      [{ name: 'x', stages: [stage('build'), stage('build')] }, 'stages.1.name', /already the name of stage 1/],
      [{ name: 'x', stages: [stage('Build')] }, 'stages.0.name', /lowercase/],
      [{ name: 'x', builder: 'packer', stages: [stage('build')], copy: [{ from: 'build', source: '/out', destination: '/app' }] }, 'builder', /packer builder cannot take copies/],
    ];
    for (const [body, field, message] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json(), JSON.stringify(body)).toMatchObject({ error: 'bad_request', field });
      expect(res.json().message).toMatch(message);
    }
  });
});
