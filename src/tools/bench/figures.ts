import type { Goal } from './report';

/**
 * Goals (issue 22) and anchors — what comparable tools reach, with the source — per figure id.
 * A goal here wins over the one a bench prints. Only anchors that can be cited are given.
 */
export type Known = { match: RegExp; goal?: Goal; anchor?: string };

// fastify/benchmarks README (as published in its forks zekth/benchmarks and evheniy/benchmarks, 2020).
const FASTIFY = 'Fastify hello 34.8k–55.8k req/s, -c100 -p10, 2 vCPU (fastify/benchmarks)';
// Armory knowledge base, "System recommendations for Kubernetes deployments" (developer.harness.io/kb/armory).
const GATE = 'Spinnaker base sizing: 30 req/s API on 2 Gate replicas (Armory KB)';

export const KNOWN: Known[] = [
  { match: /^bff\.[a-z]+\.floor\.rps$/, anchor: FASTIFY },
  { match: /^bff\.[a-z]+\.health\.rps$/, goal: { min: 30_000 }, anchor: FASTIFY },
  { match: /^bff\.[a-z]+\.(applications|clusters)\.rps$/, goal: { min: 15_000 }, anchor: GATE },
  { match: /^bff\.[a-z]+\.(applications|clusters)\.p99$/, goal: { max: 30 } },
  // The same goal at -p 1 (100 in flight), where the bare-fastify floor's own p99 is a few ms.
  { match: /^bff\.[a-z]+\.(applications|clusters)\.light\.p99$/, goal: { max: 30 } },
  { match: /^engine\.[a-z]+\.transitions$/, goal: { min: 1_000 } },
  { match: /^engine\.[a-z]+\.transition-p99$/, goal: { max: 50 } },
  // Issue 23: two Kiln processes on one PostgreSQL against one.
  { match: /^scale-out-engine$/, goal: { min: 1.6 } },
  { match: /^scale-out-jobs$/, goal: { min: 1 } },
  { match: /^sse\.broadcast(-due)?-p99$/, goal: { max: 100 } },
  { match: /^sse\.rss-per-stream$/, goal: { max: 25 } },
  { match: /^clusters\.\d+\.rows-visible$/, goal: { max: 1_000 }, anchor: 'Deck needs an "on-demand" clusters mode above 250 clusters (issue 22)' },
  { match: /^clusters\.\d+\.longest-task$/, goal: { max: 200 } },
  { match: /^clusters\.\d+\.filter-inp$/, goal: { max: 100 } },
  { match: /^executions\.10k\.(first-rows|state-to-dom)$/, goal: { max: 1_000 } },
  { match: /^approve\.inp$/, goal: { max: 100 } },
  { match: /^web\.first-route-js$/, goal: { max: 130 } },
  { match: /^editor\.500\.painted$/, goal: { max: 700 } },
  { match: /^editor\.\d+\.drag-p95$/, goal: { max: 16.7 }, anchor: 'xterm.js WebGL frame 0.73–3.69 ms avg (xtermjs/xterm.js#1790)' },
  { match: /^logs\.live-ingest$/, goal: { min: 10 } },
  { match: /^logs\.print-to-dom-p99$/, goal: { max: 1_000 } },
];

export const known = (id: string): Known | undefined => KNOWN.find((k) => k.match.test(id));
