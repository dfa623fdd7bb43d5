import type { z } from 'zod';
import type { jenkinsStage } from '../../shared/stages/jenkins';
import type { HttpCallState } from '../jobs/http-caller';
import { defineHandler, type StepResult } from './handler';
import { artifactPath, basicAuth, crumbHeaders, header, jobPath, parseProperties, queueId, refusal, type JenkinsTarget } from './jenkins-api';

type Config = z.output<typeof jenkinsStage.config>;
type Done = Extract<HttpCallState, { state: 'done' }>;

const SOON_MS = 500;
const CALL_TIMEOUT_SEC = 30;
/** A start whose process has not answered for this long is taken as lost with it (a build is not safe to start twice). */
const LAUNCH_STALE_MS = 60_000;
const SUCCESS = 'SUCCESS';

const PHASE_NAMES: Record<string, string> = {
  crumb: 'Ask for a crumb',
  trigger: 'Start the build',
  queue: 'Wait in the Jenkins queue',
  log: 'Build (console streamed)',
  result: 'Read the result',
  props: 'Read the properties file',
};

const parseJson = (body: string): Record<string, unknown> | undefined => {
  try {
    const v = JSON.parse(body) as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

export const jenkinsHandler = defineHandler<Config>({
  taskName: (context) => PHASE_NAMES[String(context.phase)] ?? 'Start the build',
  async step({ config, resolve, stage, execution, now, repos, services }) {
    const ctx = stage.context;
    const soon = new Date(now.getTime() + SOON_MS);
    const later = new Date(now.getTime() + config.pollSec * 1000);
    const job = String(ctx.job ?? resolve(config.job));
    const path = jobPath(job);
    if (!path) return { status: 'FAILED', error: `job '${job}' is not a Jenkins job path (folders are written folder/job; no '..')` };

    const serverName = String(ctx.server ?? resolve(config.server));
    const server = await repos.ciServers.get(serverName);
    if (!server) return { status: 'FAILED', error: `CI server '${serverName}' does not exist (an admin adds it under Settings → CI servers)` };
    const token = await repos.ciServers.token(serverName);
    if (!token) return { status: 'FAILED', error: `CI server '${serverName}' has no API token: ask an admin to set one` };
    const target: JenkinsTarget = { server, token };
    const jobUrl = `${server.url}${path}`;
    const what = `CI server '${server.name}'`;
    const named = `job '${job}' on ${what}`;

    // Every call runs in the background (the tick never waits on Jenkins) under a key of its own;
    // GETs are safe to repeat, so one lost with a restarted process is simply asked again.
    const call = (name: string, method: string, url: string, headers: Record<string, string> = {}, body?: string): Done | 'pending' | string => {
      const key = `${execution.id}/${stage.refId}/${stage.attempt}/${name}`;
      const state = services.http.status(key);
      if (!state) {
        services.http.start(key, { method, url, headers: { ...basicAuth(target), ...headers }, body, timeoutSec: CALL_TIMEOUT_SEC, what });
        return 'pending';
      }
      if (state.state === 'running') return 'pending';
      if (state.state === 'failed') return state.error;
      return state;
    };
    const failOn = (res: Done, doing: string): StepResult | undefined => {
      const refused = refusal(target, res.status, doing);
      return refused ? { status: 'FAILED', error: refused } : undefined;
    };

    const phase = ctx.phase as string | undefined;
    if (phase === undefined || phase === 'crumb') {
      const res = call('crumb', 'GET', `${server.url}/crumbIssuer/api/json`);
      if (res === 'pending') return { status: 'RUNNING', wakeAt: soon, context: { phase: 'crumb', server: serverName, job } };
      if (typeof res === 'string') return { status: 'FAILED', error: res };
      const refused = failOn(res, `start ${named}`);
      if (refused) return refused;
      // 404: no CSRF protection (or API-token calls are exempt, as in Jenkins 2.176+); no crumb is needed.
      const crumb = crumbHeaders(res.status, res.body, res.headers) ?? {};
      const parameters = Object.entries(config.parameters).map(([k, v]): [string, string] => [k, String(resolve(v))]);
      const at = now.toISOString();
      // The launch record first, in one compare-and-set with the lease: no other process starts the build too.
      const launch = { phase: 'trigger', launchedAt: at, launchedBy: services.owner, server: serverName, job };
      await services.recordLaunch(launch);
      const body = new URLSearchParams(parameters).toString();
      const url = parameters.length > 0 ? `${jobUrl}/buildWithParameters` : `${jobUrl}/build`;
      call('trigger', 'POST', url, { ...crumb, 'content-type': 'application/x-www-form-urlencoded' }, body);
      await services.log([`Starting ${named}${parameters.length ? ` with ${parameters.map(([k]) => k).join(', ')}` : ''}`]);
      return { status: 'RUNNING', wakeAt: soon, context: launch };
    }

    if (phase === 'trigger') {
      const key = `${execution.id}/${stage.refId}/${stage.attempt}/trigger`;
      if (!services.http.status(key)) {
        if (now.getTime() - Date.parse(String(ctx.launchedAt)) < LAUNCH_STALE_MS) return { status: 'RUNNING', wakeAt: soon };
        return { status: 'FAILED', error: `Kiln stopped while asking ${what} to start job '${job}'; it was not asked again (a build may or may not have started)` };
      }
      const res = call('trigger', 'POST', '');
      if (res === 'pending') return { status: 'RUNNING', wakeAt: soon };
      if (typeof res === 'string') return { status: 'FAILED', error: res };
      if (res.status === 404) return { status: 'FAILED', error: `Jenkins job '${job}' does not exist on ${what} (404)` };
      const refused = failOn(res, `start ${named}`);
      if (refused) return refused;
      const queued = queueId(header(res.headers, 'location'));
      if (res.status >= 300 || queued === undefined)
        return { status: 'FAILED', error: `${what} answered ${res.status} to starting job '${job}' without a queue item: ${res.body.slice(0, 300)}` };
      await services.log([`Queued as item ${queued}`]);
      return { status: 'RUNNING', wakeAt: now, context: { phase: 'queue', queueId: queued, polls: 0 } };
    }

    if (phase === 'queue') {
      if (ctx.nextAt && now < new Date(String(ctx.nextAt))) return { status: 'RUNNING', wakeAt: new Date(String(ctx.nextAt)) };
      const polls = Number(ctx.polls ?? 0);
      const res = call(`queue-${polls}`, 'GET', `${server.url}/queue/item/${Number(ctx.queueId)}/api/json?tree=cancelled,why,executable[number,url]`);
      if (res === 'pending') return { status: 'RUNNING', wakeAt: soon };
      if (typeof res === 'string') return { status: 'FAILED', error: res };
      const refused = failOn(res, `read queue item ${String(ctx.queueId)}`);
      if (refused) return refused;
      const item = parseJson(res.body);
      if (item?.cancelled === true) return { status: 'FAILED', error: `queue item ${String(ctx.queueId)} of ${named} was cancelled in Jenkins` };
      const executable = item?.executable as { number?: unknown; url?: unknown } | undefined;
      if (typeof executable?.number !== 'number') {
        const why = typeof item?.why === 'string' ? item.why : undefined;
        return { status: 'RUNNING', wakeAt: later, context: { polls: polls + 1, nextAt: later.toISOString(), ...(why ? { why } : {}) } };
      }
      const buildUrl = typeof executable.url === 'string' ? executable.url : `${jobUrl}/${executable.number}/`;
      await services.log([`Build #${executable.number} started: ${buildUrl}`]);
      return { status: 'RUNNING', wakeAt: now, context: { phase: 'log', buildNumber: executable.number, buildUrl, logStart: 0, partial: '', polls: 0, nextAt: null } };
    }

    const buildNumber = Number(ctx.buildNumber);
    const buildUrl = String(ctx.buildUrl);
    if (phase === 'log') {
      if (ctx.nextAt && now < new Date(String(ctx.nextAt))) return { status: 'RUNNING', wakeAt: new Date(String(ctx.nextAt)) };
      const start = Number(ctx.logStart ?? 0);
      const res = call(`log-${start}`, 'GET', `${jobUrl}/${buildNumber}/logText/progressiveText?start=${start}`);
      if (res === 'pending') return { status: 'RUNNING', wakeAt: soon };
      if (typeof res === 'string') return { status: 'FAILED', error: res };
      const refused = failOn(res, `read the console of build #${buildNumber}`);
      if (refused) return refused;
      // A cut answer is kept up to the cut; the next request starts there (X-Text-Size would skip the rest).
      const text = res.truncated ? res.body.slice(0, res.body.lastIndexOf('\n… [cut by Kiln')) : res.body;
      const size = res.truncated ? start + Buffer.byteLength(text) : Number(header(res.headers, 'x-text-size') ?? start + Buffer.byteLength(text));
      const more = res.truncated || header(res.headers, 'x-more-data') === 'true';
      const all = String(ctx.partial ?? '') + text;
      const lines = all.split(/\r?\n/);
      const partial = more ? lines.pop()! : '';
      if (!more && lines.at(-1) === '') lines.pop();
      if (lines.length > 0) await services.log(lines);
      if (more) return { status: 'RUNNING', wakeAt: later, context: { logStart: size, partial, nextAt: later.toISOString() } };
      return { status: 'RUNNING', wakeAt: now, context: { phase: 'result', logStart: size, partial: '', polls: 0, nextAt: null } };
    }

    if (phase === 'result') {
      if (ctx.nextAt && now < new Date(String(ctx.nextAt))) return { status: 'RUNNING', wakeAt: new Date(String(ctx.nextAt)) };
      const polls = Number(ctx.polls ?? 0);
      const res = call(`result-${polls}`, 'GET', `${jobUrl}/${buildNumber}/api/json?tree=number,url,result,building,artifacts[fileName,relativePath]`);
      if (res === 'pending') return { status: 'RUNNING', wakeAt: soon };
      if (typeof res === 'string') return { status: 'FAILED', error: res };
      const refused = failOn(res, `read build #${buildNumber}`);
      if (refused) return refused;
      const build = parseJson(res.body);
      if (!build || build.building === true || typeof build.result !== 'string') {
        return { status: 'RUNNING', wakeAt: later, context: { polls: polls + 1, nextAt: later.toISOString() } };
      }
      const artifacts = (Array.isArray(build.artifacts) ? build.artifacts : [])
        .filter((a): a is { fileName: string; relativePath: string } => typeof a?.fileName === 'string' && typeof a?.relativePath === 'string')
        .map((a) => ({ fileName: a.fileName, relativePath: a.relativePath, url: `${buildUrl.replace(/\/?$/, '/')}artifact/${artifactPath(a.relativePath)}` }));
      const outputs = { buildNumber, buildUrl, result: build.result, artifacts };
      await services.log([`Build #${buildNumber} finished: ${build.result}`]);
      const passed = build.result === SUCCESS || (config.unstableIsSuccess && build.result === 'UNSTABLE');
      if (!passed) return { status: 'FAILED', error: `Jenkins build ${job} #${buildNumber} finished ${build.result}: ${buildUrl}`, context: { phase: 'done', outputs } };
      if (!config.propertiesFile) return { status: 'SUCCEEDED', outputs };
      return { status: 'RUNNING', wakeAt: now, context: { phase: 'props', outputs } };
    }

    // The properties file: an archived artifact of the finished build.
    const file = config.propertiesFile!;
    const res = call('props', 'GET', `${jobUrl}/${buildNumber}/artifact/${artifactPath(file)}`);
    if (res === 'pending') return { status: 'RUNNING', wakeAt: soon };
    if (typeof res === 'string') return { status: 'FAILED', error: res };
    const refused = failOn(res, `read ${file} of build #${buildNumber}`);
    if (refused) return refused;
    if (res.status === 404) return { status: 'FAILED', error: `build ${job} #${buildNumber} archived no '${file}' (its properties file)` };
    if (res.status !== 200) return { status: 'FAILED', error: `${what} answered ${res.status} for '${file}' of build #${buildNumber}` };
    return { status: 'SUCCEEDED', outputs: { ...(ctx.outputs as object), properties: parseProperties(res.body) } };
  },
});
