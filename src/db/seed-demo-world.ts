import { join, resolve } from 'node:path';
import { Account } from '../shared/domain/account';
import { NewApplication } from '../shared/domain/application';
import { PipelineDraft } from '../shared/domain/pipeline';
import { isStageType, stageDefinitions } from '../shared/stages/registry';
import { NewProject } from '../shared/domain/project';
import { RecipeDraft } from '../shared/domain/recipe';
import { DEMO_ACCOUNT, DEMO_APPLICATION, DEMO_BALANCERS, DEMO_PIPELINE, DEMO_PROJECT } from '../shared/domain/demo';

export { DEMO_ACCOUNT, DEMO_APPLICATION, DEMO_PIPELINE, DEMO_PROJECT };

/**
 * The demo: one real application on the local cloud. Nothing here is a row pretending to be a
 * machine: the recipe bakes a real bundle, the pipeline launches real instance processes behind
 * real load balancers, and the first release is a real execution (see demo-release.ts).
 */
export interface DemoWorld {
  project: NewProject;
  applications: NewApplication[];
  accounts: Account[];
  recipes: RecipeDraft[];
  pipelines: PipelineDraft[];
}

const REGION = 'local-east';

/** The demo app and its smoke test ship with Kiln; the recipe and the job name them by absolute path. */
const DEMO_DIR = resolve(import.meta.dirname, '../demo');

const BAKE = "stages['Bake'].outputs";
const STAGING = "stages['Deploy to staging'].outputs";
const PROD = "stages['Deploy to production'].outputs";

/** What a Kiln's configuration may change in the demo it seeds. */
export interface DemoOptions {
  demoDir?: string;
  /** The production rollout's pause between traffic steps (KILN_DEMO_STEP_DELAY_SEC). */
  stepDelaySec?: number;
}

/** The demo's production rollout pauses this long between steps unless configured otherwise. */
export const DEMO_STEP_DELAY_SEC = 10;

export function demoPipeline({ demoDir = DEMO_DIR, stepDelaySec = DEMO_STEP_DELAY_SEC }: DemoOptions = {}): PipelineDraft {
  return PipelineDraft.parse({
    application: DEMO_APPLICATION,
    name: DEMO_PIPELINE,
    description:
      'Bakes the storefront image, deploys it red/black to staging, smoke-tests it through the staging load balancer, waits for a person to approve, rolls it out to production in three steps and destroys the old production server group.',
    stages: [
      { refId: 'bake', type: 'bake', name: 'Bake', config: { recipe: 'storefront', rebake: true } },
      {
        refId: 'staging',
        type: 'deploy',
        name: 'Deploy to staging',
        requisiteStageRefIds: ['bake'],
        config: {
          account: 'staging',
          region: REGION,
          stack: 'staging',
          image: `\${ ${BAKE}.image }`,
          strategy: 'redblack',
          capacity: { min: 1, desired: 1, max: 2 },
          loadBalancers: [DEMO_BALANCERS.staging],
          maxRemainingAsgs: 2,
          healthyTimeoutSec: 120,
        },
      },
      {
        refId: 'smoke',
        type: 'runJob',
        name: 'Smoke test',
        requisiteStageRefIds: ['staging'],
        config: {
          command: `node ${join(demoDir, 'smoke-test.mjs')} "\${ ${STAGING}.loadBalancers[0].address }" "\${ ${BAKE}.version }"`,
          timeoutSec: 120,
        },
      },
      {
        refId: 'judgment',
        type: 'manualJudgment',
        name: 'Promote to production?',
        requisiteStageRefIds: ['smoke'],
        // The first release, made by Kiln's own demo setup at first start, had an empty production to
        // fill and nobody signed in to ask; every release a person or a trigger starts waits here.
        condition: `\${ trigger.user != '${DEMO_ACCOUNT}' }`,
        config: {
          instructions: `Staging runs \${ ${BAKE}.image } and passed the smoke test. Open http://\${ ${STAGING}.loadBalancers[0].address }/ to look at it, then approve to roll it out to production.`,
          inputOptions: [],
        },
      },
      {
        refId: 'prod',
        type: 'deploy',
        name: 'Deploy to production',
        requisiteStageRefIds: ['judgment'],
        config: {
          account: 'prod',
          region: REGION,
          stack: 'prod',
          image: `\${ ${BAKE}.image }`,
          strategy: 'rollingredblack',
          capacity: { min: 1, desired: 3, max: 4 },
          loadBalancers: [DEMO_BALANCERS.prod],
          targetPercentages: [34, 67, 100],
          // A pause between steps so whoever watches the production load balancer sees both versions answer.
          delayBetweenStepsSec: stepDelaySec,
          healthyTimeoutSec: 120,
        },
      },
      {
        refId: 'destroy',
        type: 'destroyServerGroup',
        name: 'Destroy old production group',
        requisiteStageRefIds: ['prod'],
        // The first release had nothing before it to destroy.
        condition: `\${ size(${PROD}.previousServerGroups) > 0 }`,
        config: { account: 'prod', region: REGION, cluster: 'storefront-prod', target: 'previous' },
      },
    ],
    parameters: [],
  });
}

/** The recipe of the storefront's container image (see demoContainerRecipe). */
export const DEMO_CONTAINER_RECIPE = 'storefront-container';

/** The demo's pipeline to the "containers" account: the storefront's OCI image, run as containers. */
export function demoContainersPipeline(account: string, region = 'local'): PipelineDraft {
  return PipelineDraft.parse({
    application: DEMO_APPLICATION,
    name: 'Ship to containers',
    description: `Bakes the storefront's container image (Debian with its nodejs; the first bake takes minutes, later ones reuse it while nothing changed) and deploys it red/black to the container engine of account '${account}', behind its own load balancer.`,
    stages: [
      // No rebake: an identical recipe and app reuse the image, so only the first run waits for Debian.
      { refId: 'bake', type: 'bake', name: 'Bake', config: { recipe: DEMO_CONTAINER_RECIPE } },
      {
        refId: 'deploy',
        type: 'deploy',
        name: 'Deploy to containers',
        requisiteStageRefIds: ['bake'],
        config: {
          account,
          region,
          stack: 'containers',
          image: `\${ ${BAKE}.image }`,
          strategy: 'redblack',
          capacity: { min: 1, desired: 2, max: 2 },
          loadBalancers: [`${DEMO_APPLICATION}-containers`],
          maxRemainingAsgs: 2,
          healthyTimeoutSec: 120,
        },
      },
    ],
    parameters: [],
  });
}

export function demoRecipe(demoDir = DEMO_DIR): RecipeDraft {
  return RecipeDraft.parse({
    name: 'storefront',
    description: "The demo web shop's front page: a Node.js bundle the local cloud runs behind its load balancers.",
    builder: 'bundle',
    base: { type: 'scratch' },
    provisioners: [{ type: 'shell', name: 'Write the release note', script: 'mkdir -p etc/storefront\necho "baked by Kiln for the demo" > etc/storefront/release' }],
    artifact: { source: join(demoDir, 'storefront-app.mjs'), destination: '/app/server.mjs' },
    run: { entrypoint: 'app/server.mjs', healthPath: '/health' },
    tests: { files: ['/app/server.mjs', '/etc/storefront/release'], boot: true },
  });
}

/**
 * The storefront as a container image: Debian bookworm (minbase) with Debian's own `nodejs`
 * installed by apt in the image (no runtime lent by the host, so any engine on this architecture
 * runs it), the app on top, run as the unprivileged user `storefront`. The app listens on
 * 0.0.0.0:$PORT, which the container provider publishes on a loopback port.
 */
export function demoContainerRecipe(demoDir = DEMO_DIR): RecipeDraft {
  return RecipeDraft.parse({
    name: DEMO_CONTAINER_RECIPE,
    description: "The demo web shop as an OCI image: Debian bookworm with Debian's nodejs, the app in /app, run as the user 'storefront' (not root).",
    builder: 'oci',
    base: { type: 'debian', suite: 'bookworm', variant: 'minbase' },
    provisioners: [
      { type: 'packages', packages: ['nodejs'] },
      {
        type: 'shell',
        name: 'Add the storefront user',
        // Written, not useradd'ed: the step runs sandboxed, outside the image, with no chroot.
        script: "echo 'storefront:x:10001:10001:Storefront:/nonexistent:/usr/sbin/nologin' >> etc/passwd\necho 'storefront:x:10001:' >> etc/group",
      },
    ],
    artifact: { source: join(demoDir, 'storefront-app.mjs'), destination: '/app/server.mjs' },
    run: { entrypoint: 'app/server.mjs', healthPath: '/health', user: 'storefront' },
    tests: { files: ['/usr/bin/node', '/app/server.mjs'], boot: false },
  });
}

export function buildDemoWorld({ demoDir = DEMO_DIR, stepDelaySec }: DemoOptions = {}): DemoWorld {
  return {
    project: NewProject.parse({
      name: DEMO_PROJECT,
      displayName: 'Demo: Storefront',
      description: 'A small web shop deployed for real on the local cloud: a recipe bakes it, a pipeline takes it through staging, a smoke test and your approval to production.',
      ownerEmail: 'platform-team@example.com',
    }),
    applications: [
      NewApplication.parse({
        name: DEMO_APPLICATION,
        project: DEMO_PROJECT,
        description: 'Customer-facing web shop front page, baked and deployed by the demo pipeline.',
        ownerEmail: 'storefront-team@example.com',
      }),
    ],
    accounts: [
      { name: 'staging', environment: 'staging' },
      { name: 'prod', environment: 'prod' },
    ].map((a) => Account.parse({ ...a, provider: 'local', regions: [REGION, 'local-west'], demo: true })),
    recipes: [demoRecipe(demoDir)],
    pipelines: [demoPipeline({ demoDir, stepDelaySec })],
  };
}

// A stage type whose config names an account acts on that account's server groups (deploy and the
// cluster operations) and needs EXECUTE there; the registry's defaults say which types those are.
const accountOf = (s: PipelineDraft['stages'][number]): string[] =>
  isStageType(s.type) && 'account' in stageDefinitions[s.type].defaults && typeof s.config['account'] === 'string' ? [s.config['account']] : [];

/** The accounts these pipelines deploy to or operate on: exactly what the demo's service account is granted there. */
export function deployAccounts(pipelines: readonly PipelineDraft[]): string[] {
  return [...new Set(pipelines.flatMap((p) => p.stages.flatMap(accountOf)))].sort();
}
