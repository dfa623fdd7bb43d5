import type { Provisioner, RecipeDraft } from '../../../shared/domain/recipe';
import { aptInstallScript } from '../debian-packages';
import { OWN_FILES_TAR_FLAGS } from '../layer-tar';

/** Single-quotes a word for /bin/sh. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const inRoot = (imagePath: string) => `"$IMAGE_ROOT"/${q(imagePath.replace(/^\/+/, ''))}`;

/**
 * One recipe provisioner as a shell script Packer's `shell-local` provisioner runs (with /bin/sh -e,
 * from the image root, IMAGE_ROOT set). Scripts are files, not template strings, so a `{{` in a
 * user's script is never read as Packer template syntax.
 */
export function provisionerScript(p: Provisioner): string {
  const head = 'cd "$IMAGE_ROOT"\n';
  switch (p.type) {
    case 'shell':
      return `${head}${p.script}\n`;
    case 'file': {
      const target = inRoot(p.destination);
      // -T: a directory source merges into an existing target instead of nesting inside it (as cpSync does).
      const lines = [
        `test -e ${q(p.source)} || { echo "source ${p.source.replace(/["$`\\]/g, '')} does not exist" >&2; exit 1; }`,
        `mkdir -p "$(dirname ${target})"`,
        `cp -aT ${q(p.source)} ${target}`,
      ];
      if (p.mode !== undefined) lines.push(`chmod ${p.mode.toString(8)} ${target}`);
      return `${head}${lines.join('\n')}\n`;
    }
    case 'packages':
      return `${head}${aptInstallScript(p.packages)}`;
  }
}

export interface PackerTemplateInput {
  recipe: RecipeDraft;
  root: string;
  work: string;
  /** One script file per recipe provisioner, in order (see provisionerScript). */
  scripts: string[];
  tar: string;
  /** Where the packed root goes before Packer's compress post-processor gzips it. */
  rootTar: string;
  output: string;
  /** The program line that runs a `shell` provisioner's script file: in the job sandbox (packer.ts); other steps run as Kiln. */
  shellCommand?: (script: string) => string[];
}

/**
 * The Packer JSON template of a recipe: the `null` builder (the root is a directory here, so no VM
 * or container is needed), a `shell-local` provisioner per recipe provisioner working on the image
 * root, then post-processors that pack the root as a reproducible tarball (`shell-local`), hand it
 * to Packer as the artifact (`artifice`) and gzip it (`compress`). Plugins Debian's packer 1.6.6
 * ships, usable offline.
 */
export function renderPackerTemplate(input: PackerTemplateInput): Record<string, unknown> {
  const env = [`IMAGE_ROOT=${input.root}`];
  return {
    description: `kiln recipe ${input.recipe.name}`,
    builders: [{ type: 'null', name: 'kiln', communicator: 'none' }],
    provisioners: input.scripts.map((script, i) => ({
      type: 'shell-local',
      scripts: [script],
      environment_vars: env,
      // exec: the sandbox replaces the shell, so when Packer goes (a timeout kills it) the sandbox and the script go with it.
      execute_command:
        input.shellCommand && input.recipe.provisioners[i]?.type === 'shell'
          ? ['/bin/sh', '-c', `{{.Vars}} exec ${input.shellCommand(script).map(q).join(' ')}`]
          : ['/bin/sh', '-c', '{{.Vars}} /bin/sh -e {{.Script}}'],
    })),
    'post-processors': [
      [
        { type: 'shell-local', environment_vars: env, inline: [[input.tar, ...OWN_FILES_TAR_FLAGS, '-C', input.root, '-cf', input.rootTar, '.'].map(q).join(' ')] },
        { type: 'artifice', files: [input.rootTar] },
        { type: 'compress', output: input.output, format: '.gz', compression_level: 6, keep_input_artifact: false },
      ],
    ],
  };
}
