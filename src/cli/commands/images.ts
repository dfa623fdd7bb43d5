import { getImage, listImages, revokeImage } from '../../shared/api/images';
import { createPipeline } from '../../shared/api/pipelines';
import { ApplicationName } from '../../shared/domain/names';
import { importSpinnakerPipeline } from '../../shared/spinnaker/import';
import { defineCommand } from '../command';
import { CliError, EXIT, usageError } from '../io';
import { print, since, table } from '../output';
import { readInput } from './tools';

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
          : table(['IMAGE', 'VERSIONS', 'LATEST', 'BUILT', 'CHANNELS'], images.map((i) => [i.name, i.versions, `${i.latest.version}${i.latest.revoked ? ' (revoked)' : ''}`, since(i.latest.createdAt), Object.entries(i.channels).map(([c, v]) => `${c}=${v}`).join(' ')])),
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
        const versions = table(['VERSION', 'BUILT', 'FORMAT', 'SIZE', 'RECIPE', 'STATE'], image.versions.map((v) => [
          v.version, since(v.createdAt), v.format, mb(v.sizeBytes), v.recipe ? `${v.recipe.name} r${v.recipe.revision}` : undefined,
          v.revoked ? `revoked: ${v.revocation?.reason ?? ''}` : 'ok',
        ]));
        const usage = image.usage.length === 0
          ? 'Runs nowhere.\n'
          : table(['VERSION', 'APPLICATION', 'ACCOUNT', 'REGION', 'SERVER GROUP', 'INSTANCES'], image.usage.map((u) => [u.version, u.application, u.account, u.region, u.serverGroup, u.instances]));
        return `${versions}\n${usage}`;
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
    words: ['spinnaker', 'import'],
    args: ['FILE'],
    summary: "Convert a Spinnaker pipeline JSON into Kiln's format (printed), or create it with --app",
    options: { app: { type: 'string' } },
    optionHelp: ['--app NAME  create the pipeline in this application instead of printing it'],
    async run({ io, client, values, positionals, json }) {
      const text = await readInput(positionals[0], io.stdin);
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        throw new CliError(`${positionals[0]} is not JSON: ${(err as Error).message}`, EXIT.usage);
      }
      const app = ApplicationName.safeParse(values.app ?? (raw as { application?: unknown }).application ?? 'imported');
      if (!app.success) throw usageError(`--app: ${app.error.issues[0]?.message ?? 'not an application name'}`);
      const result = importSpinnakerPipeline(raw, app.data);
      if (!result.ok) throw new CliError(result.error, EXIT.failed);
      for (const w of result.warnings) io.stderr.write(`warning: ${w}\n`);
      if (result.unsupported.length > 0) io.stderr.write(`unsupported stages kept as they were (replace them before saving): ${result.unsupported.join(', ')}\n`);
      if (!values.app) {
        io.stdout.write(`${JSON.stringify(result.draft, null, 2)}\n`);
        return EXIT.ok;
      }
      const saved = await client(createPipeline, { params: { application: app.data }, body: result.draft });
      print(io, json, saved, () => `Created ${saved.application}/${saved.name} revision ${saved.revision} (${saved.id})\n`);
      return EXIT.ok;
    },
  }),
];
