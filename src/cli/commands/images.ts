import { deleteImageVersion, getImage, listImages, pushImageVersion, restoreImage, revokeImage } from '../../shared/api/images';
import { createPipeline } from '../../shared/api/pipelines';
import { ApplicationName } from '../../shared/domain/names';
import { describeImport, importSizeProblem, importSpinnakerPipelines } from '../../shared/spinnaker/import';
import { defineCommand } from '../command';
import { CliError, EXIT, usageError } from '../io';
import { print, since, table } from '../output';
import { readInput } from './tools';

/** `a=b,c=d` as a map; a pair without '=' is a usage error naming the option. */
function nameMap(value: string | undefined, option: string): Record<string, string> {
  if (!value) return {};
  return Object.fromEntries(
    value
      .split(',')
      .filter((p) => p.trim())
      .map((pair) => {
        const [from, to, ...rest] = pair.split('=').map((x) => x.trim());
        if (!from || !to || rest.length > 0) throw usageError(`${option}: '${pair}' is not FROM=TO`);
        return [from, to];
      }),
  );
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const imageCommands = [
  defineCommand({
    words: ['image', 'list'],
    args: [],
    summary: 'Images in the registry: versions, the latest one, and where each channel points',
    async run({ io, client, json }) {
      const images = await client(listImages);
      print(io, json, images, () =>
        images.length === 0
          ? 'No images.\n'
          : table(
              ['IMAGE', 'VERSIONS', 'LATEST', 'BUILT', 'CHANNELS'],
              images.map((i) => [
                i.name,
                i.versions,
                `${i.latest.version}${i.latest.revoked ? ' (revoked)' : ''}`,
                since(i.latest.createdAt),
                Object.entries(i.channels)
                  .map(([c, v]) => `${c}=${v}`)
                  .join(' '),
              ]),
            ),
      );
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['image', 'get'],
    args: ['NAME'],
    summary: "An image's versions (checksum, size, recipe, revocation) and where each one runs",
    async run({ io, client, positionals, json }) {
      const image = await client(getImage, { params: { name: positionals[0]! } });
      print(io, json, image, () => {
        const versions = table(
          ['VERSION', 'BUILT', 'FORMAT', 'SIZE', 'RECIPE', 'STATE'],
          image.versions.map((v) => [
            v.version,
            since(v.createdAt),
            v.format,
            mb(v.sizeBytes),
            v.recipe ? `${v.recipe.name} r${v.recipe.revision}` : undefined,
            v.revoked ? `revoked: ${v.revocation?.reason ?? ''}` : 'ok',
          ]),
        );
        const usage =
          image.usage.length === 0
            ? 'Runs nowhere.\n'
            : table(
                ['VERSION', 'APPLICATION', 'ACCOUNT', 'REGION', 'SERVER GROUP', 'INSTANCES'],
                image.usage.map((u) => [u.version, u.application, u.account, u.region, u.serverGroup, u.instances]),
              );
        // OCI versions list their layers (a multi-stage image one per copy from a build stage).
        const layered = image.versions.filter((v) => v.build.layers?.length);
        const layers = layered.length
          ? `\n${table(
              ['VERSION', 'LAYER', 'SIZE', 'CREATED BY'],
              layered.flatMap((v) =>
                (v.build.layers ?? []).map((l, i) => [v.version, i + 1, l.sizeBytes < 1024 * 1024 ? `${(l.sizeBytes / 1024).toFixed(1)} KB` : mb(l.sizeBytes), l.createdBy]),
              ),
            )}`
          : '';
        const pushes = image.pushes.length
          ? `\n${table(
              ['VERSION', 'PUSHED TO', 'DIGEST', 'PUSHED'],
              image.pushes.map((p) => [p.version, p.repository, p.digest, since(p.pushedAt)]),
            )}`
          : '';
        return `${versions}${layers}\n${usage}${pushes}`;
      });
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['image', 'revoke'],
    args: ['NAME', 'VERSION'],
    summary: 'Revoke an image version (and, through it, its descendants); deploys of it are refused from then on',
    options: { reason: { type: 'string' }, at: { type: 'string' } },
    optionHelp: ['--reason TEXT  why (required, recorded)', '--at TIME      when it takes effect (ISO-8601; default now)'],
    async run({ io, client, values, positionals, json }) {
      if (!values.reason) throw usageError('--reason is required: say why the image is revoked');
      const body = { reason: values.reason as string, ...(values.at ? { at: values.at as string } : {}) };
      const version = await client(revokeImage, { params: { name: positionals[0]!, version: positionals[1]! }, body });
      print(io, json, version, () => `Revoked ${version.name}:${version.version}${values.at ? ` from ${String(values.at)}` : ''}\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['image', 'restore'],
    args: ['NAME', 'VERSION'],
    summary: "Lift a version's own revocation (admins); the lifted revocation and the reason stay on record",
    options: { reason: { type: 'string' } },
    optionHelp: ['--reason TEXT  why it is safe again (required, recorded)'],
    async run({ io, client, values, positionals, json }) {
      if (!values.reason) throw usageError('--reason is required: say why the revocation is lifted');
      const version = await client(restoreImage, { params: { name: positionals[0]!, version: positionals[1]! }, body: { reason: values.reason as string } });
      print(io, json, version, () => `Restored ${version.name}:${version.version} (it was revoked: ${version.restoration?.lifted.reason ?? ''})\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['image', 'delete'],
    args: ['NAME', 'VERSION'],
    summary: 'Delete an image version and its files (admins); refused while a server group runs it, a channel points at it or an image is built on it',
    async run({ io, client, positionals, json }) {
      const deleted = await client(deleteImageVersion, { params: { name: positionals[0]!, version: positionals[1]! } });
      print(
        io,
        json,
        deleted,
        () => `Deleted ${deleted.name}:${deleted.version}${deleted.filesRemoved ? ' and its files' : ' (its files stay: another version holds the same bytes)'}\n`,
      );
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['image', 'push'],
    args: ['NAME:VERSION'],
    summary: "Push an oci image version to an account's registry with the account's credentials (needs EXECUTE on the account)",
    options: { account: { type: 'string' } },
    optionHelp: ['--account NAME  the account whose registry (and write-only registry credentials) to push to (required)'],
    async run({ io, client, values, positionals, json }) {
      if (!values.account) throw usageError('--account is required: the account whose registry to push to');
      const ref = positionals[0] ?? '';
      const colon = ref.lastIndexOf(':');
      if (colon <= 0) throw usageError(`'${ref}' is not NAME:VERSION (e.g. shop:v3)`);
      const params = { name: ref.slice(0, colon), version: ref.slice(colon + 1) };
      const pushed = await client(pushImageVersion, { params, body: { account: values.account as string } });
      print(io, json, pushed, () => `${pushed.log.join('\n')}\nPushed ${pushed.name}:${pushed.version} to ${pushed.repository}@${pushed.digest}\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['spinnaker', 'import'],
    args: ['FILE'],
    summary: "Convert a Spinnaker pipeline JSON (or a list of them) into Kiln's format (printed), or create it with --app",
    options: { app: { type: 'string' }, 'account-map': { type: 'string' }, 'region-map': { type: 'string' }, recipe: { type: 'string', multiple: true } },
    optionHelp: [
      '--app NAME              create the pipeline(s) in this application instead of printing them',
      '--account-map A=B,…     Spinnaker account A is Kiln account B (e.g. gce-prod=prod,aws-test=test)',
      '--region-map A=B,…      Spinnaker region A is Kiln region B (e.g. us-central1=local-east)',
      '--recipe NAME           a Kiln recipe that exists (repeatable): bakes of that package use it',
    ],
    async run({ io, client, values, positionals, json }) {
      const text = await readInput(positionals[0], io.stdin);
      const tooBig = importSizeProblem(Buffer.byteLength(text));
      if (tooBig) throw new CliError(`${positionals[0] ?? 'stdin'}: ${tooBig}`, EXIT.usage);
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        throw new CliError(`${positionals[0]} is not JSON: ${(err as Error).message}`, EXIT.usage);
      }
      const first = Array.isArray(raw) ? raw[0] : raw;
      const app = ApplicationName.safeParse(values.app ?? (first as { application?: unknown } | undefined)?.application ?? 'imported');
      if (!app.success) throw usageError(`--app: ${app.error.issues[0]?.message ?? 'not an application name'}`);
      const options = {
        accounts: nameMap(values['account-map'] as string | undefined, '--account-map'),
        regions: nameMap(values['region-map'] as string | undefined, '--region-map'),
        recipes: (values.recipe as string[] | undefined) ?? [],
      };
      const results = importSpinnakerPipelines(raw, app.data, options);
      const drafts = [];
      let failed = false;
      for (const result of results) {
        if (!result.ok) {
          io.stderr.write(`error: ${result.error}\n`);
          failed = true;
          continue;
        }
        const label = results.length > 1 ? `${result.draft.name}: ` : '';
        for (const w of result.warnings) io.stderr.write(`warning: ${label}${w}\n`);
        for (const s of result.secrets) io.stderr.write(`${label}webhook trigger ${s.trigger + 1} secret (shown once, keep it): ${s.secret}\n`);
        io.stderr.write(`${label}${describeImport(result)}\n`);
        drafts.push(result);
      }
      if (!values.app) {
        const out = drafts.map((d) => (d.recipeDrafts.length ? { ...d.draft, recipeDrafts: d.recipeDrafts } : d.draft));
        io.stdout.write(`${JSON.stringify(Array.isArray(raw) ? out : (out[0] ?? null), null, 2)}\n`);
        return failed ? EXIT.failed : EXIT.ok;
      }
      for (const d of drafts) {
        const saved = await client(createPipeline, { params: { application: app.data }, body: d.draft });
        print(
          io,
          json,
          saved,
          () =>
            `Created ${saved.application}/${saved.name} revision ${saved.revision} (${saved.id})${d.placeholders.length ? `; replace ${d.placeholders.length} placeholder stage(s) before running` : ''}\n`,
        );
      }
      return failed ? EXIT.failed : EXIT.ok;
    },
  }),
];
