import { SUPPORT_PACKAGES, type RecipeDraftInput } from '../../../shared/domain/recipe';
import { ModalField } from '../../components/modal-form';
import { RecipeStagesSummary } from './recipe-stages-summary';

type Draft = RecipeDraftInput & Record<string, unknown>;
const INPUT = 'h-8 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900';

/**
 * The recipe's main settings as a form; provisioners and first-boot provisioning are lists of
 * typed steps, edited in the YAML view (the form lists them).
 */
export function RecipeForm({ draft, onChange }: { draft: Draft; onChange: (next: Draft) => void }) {
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  const base = (draft.base ?? { type: 'scratch' }) as { type: string; image?: string; path?: string; suite?: string; mirror?: string; variant?: 'minbase' | 'apt' | 'essential' };
  const debian = { type: 'debian' as const, suite: base.suite ?? 'bookworm', ...(base.mirror ? { mirror: base.mirror } : {}), ...(base.variant ? { variant: base.variant } : {}) };
  const artifact = draft.artifact as { source?: string; destination?: string } | undefined;
  const run = draft.run as { entrypoint?: string; healthPath?: string; user?: string } | undefined;
  const output = (draft.output ?? {}) as { compression?: 'zstd' | 'gzip'; diskSizeMiB?: number };
  const tests = (draft.tests ?? {}) as { files?: string[]; boot?: boolean };
  const provisioners = (draft.provisioners ?? []) as Array<{ type: string; name?: string; destination?: string; packages?: string[] }>;
  return (
    <div className="grid max-w-4xl grid-cols-1 gap-4 md:grid-cols-2">
      <ModalField label="Name">{(id) => <input id={id} className={INPUT} value={draft.name ?? ''} onChange={(e) => set({ name: e.target.value })} />}</ModalField>
      <ModalField
        label="Builder"
        hint="bundle: a compressed root the local cloud runs; disk: an ext4 partition image (mke2fs, sfdisk, resize2fs); oci: an OCI image layout; packer: a bundle built by a real packer build (Debian package packer)."
      >
        {(id) => (
          <select id={id} className={INPUT} value={draft.builder ?? 'bundle'} onChange={(e) => set({ builder: e.target.value as 'bundle' | 'disk' | 'oci' | 'packer' })}>
            <option value="bundle">bundle</option>
            <option value="disk">disk</option>
            <option value="oci">oci</option>
            <option value="packer">packer</option>
          </select>
        )}
      </ModalField>
      <div className="md:col-span-2">
        <ModalField label="Description">
          {(id) => <textarea id={id} rows={2} className={`${INPUT} h-auto py-1`} value={draft.description ?? ''} onChange={(e) => set({ description: e.target.value })} />}
        </ModalField>
      </div>
      <ModalField label="Base">
        {(id) => (
          <select
            id={id}
            className={INPUT}
            value={base.type}
            onChange={(e) =>
              set({
                base: (
                  {
                    scratch: { type: 'scratch' },
                    image: { type: 'image', image: '' },
                    directory: { type: 'directory', path: '' },
                    tarball: { type: 'tarball', path: '' },
                    debian: { type: 'debian', suite: 'bookworm' },
                  } as const
                )[e.target.value as 'scratch'],
              })
            }
          >
            {['scratch', 'image', 'directory', 'tarball', 'debian'].map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        )}
      </ModalField>
      {base.type === 'image' && (
        <ModalField label="Base image" hint="name:vN or name@channel; a revoked one refuses the bake.">
          {(id) => <input id={id} className={INPUT} value={base.image ?? ''} onChange={(e) => set({ base: { type: 'image', image: e.target.value } })} />}
        </ModalField>
      )}
      {(base.type === 'directory' || base.type === 'tarball') && (
        <ModalField label="Base path" hint="An absolute path on the Kiln machine.">
          {(id) => <input id={id} className={INPUT} value={base.path ?? ''} onChange={(e) => set({ base: { type: base.type as 'directory', path: e.target.value } })} />}
        </ModalField>
      )}
      {base.type === 'debian' && (
        <ModalField label="Debian suite" hint="Bootstrapped with mmdebstrap (install the Debian package mmdebstrap); packages provisioners then apt-get install into it.">
          {(id) => <input id={id} className={INPUT} value={base.suite ?? ''} onChange={(e) => set({ base: { ...debian, suite: e.target.value } })} />}
        </ModalField>
      )}
      {base.type === 'debian' && (
        <ModalField label="Debian variant" hint="minbase: essential packages and apt (the smallest root apt can add to).">
          {(id) => (
            <select id={id} className={INPUT} value={base.variant ?? 'minbase'} onChange={(e) => set({ base: { ...debian, variant: e.target.value as 'minbase' } })}>
              {['minbase', 'apt', 'essential'].map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          )}
        </ModalField>
      )}
      {(base.type === 'scratch' || base.type === 'debian') && <div />}
      <ModalField label="Artifact: source" hint="The application to install: an absolute path here or an http(s) URL. Empty: none.">
        {(id) => (
          <input
            id={id}
            className={INPUT}
            value={artifact?.source ?? ''}
            onChange={(e) => set({ artifact: e.target.value ? { source: e.target.value, destination: artifact?.destination ?? '/app' } : undefined })}
          />
        )}
      </ModalField>
      <ModalField label="Artifact: destination in the image">
        {(id) => (
          <input
            id={id}
            className={INPUT}
            disabled={!artifact}
            value={artifact?.destination ?? ''}
            onChange={(e) => set({ artifact: { source: artifact?.source ?? '', destination: e.target.value } })}
          />
        )}
      </ModalField>
      <ModalField label="Run: entrypoint" hint="The ES module the local cloud starts with node (PORT is set). Empty: not runnable.">
        {(id) => (
          <input
            id={id}
            className={INPUT}
            value={run?.entrypoint ?? ''}
            onChange={(e) => set({ run: e.target.value ? { ...run, entrypoint: e.target.value, healthPath: run?.healthPath ?? '/health' } : undefined })}
          />
        )}
      </ModalField>
      <ModalField label="Run: health path">
        {(id) => (
          <input
            id={id}
            className={INPUT}
            disabled={!run}
            value={run?.healthPath ?? '/health'}
            onChange={(e) => set({ run: { ...run, entrypoint: run?.entrypoint ?? '', healthPath: e.target.value } })}
          />
        )}
      </ModalField>
      <ModalField label="Compression">
        {(id) => (
          <select id={id} className={INPUT} value={output.compression ?? 'zstd'} onChange={(e) => set({ output: { ...output, compression: e.target.value as 'zstd' | 'gzip' } })}>
            <option value="zstd">zstd</option>
            <option value="gzip">gzip</option>
          </select>
        )}
      </ModalField>
      <ModalField label="Disk size (MiB)" hint="Raw size before resize2fs -M shrinks it (disk builder).">
        {(id) => (
          <input
            id={id}
            type="number"
            min={8}
            className={INPUT}
            value={output.diskSizeMiB ?? 64}
            onChange={(e) => set({ output: { ...output, diskSizeMiB: Number(e.target.value) } })}
          />
        )}
      </ModalField>
      <ModalField label="Tests: files that must exist" hint="One path per line; read back with debugfs for disk images.">
        {(id) => (
          <textarea
            id={id}
            rows={3}
            className={`${INPUT} h-auto py-1 font-mono text-xs`}
            value={(tests.files ?? []).join('\n')}
            onChange={(e) =>
              set({
                tests: {
                  ...tests,
                  files: e.target.value
                    .split('\n')
                    .map((l) => l.trim())
                    .filter(Boolean),
                },
              })
            }
          />
        )}
      </ModalField>
      <ModalField label="Tests: boot">
        {(id) => (
          <label className="flex items-center gap-2 text-sm">
            <input id={id} type="checkbox" checked={tests.boot ?? true} onChange={(e) => set({ tests: { ...tests, boot: e.target.checked } })} />
            Start the bundle and expect a 2xx from its health path
          </label>
        )}
      </ModalField>
      <div className="md:col-span-2">
        <h3 className="text-xs font-medium text-zinc-700 dark:text-zinc-300">Provisioners (edit in YAML)</h3>
        {provisioners.length === 0 ? (
          <p className="text-sm text-zinc-500">None.</p>
        ) : (
          <ol className="mt-1 list-decimal pl-5 text-sm text-zinc-700 dark:text-zinc-300">
            {provisioners.map((p, i) => (
              <li key={i}>
                {p.type}
                {p.type === 'shell' && p.name ? `: ${p.name}` : ''}
                {p.type === 'file' ? ` → ${p.destination ?? ''}` : ''}
                {p.type === 'packages' ? `: ${(p.packages ?? SUPPORT_PACKAGES).join(' ')}` : ''}
              </li>
            ))}
          </ol>
        )}
      </div>
      <RecipeStagesSummary draft={draft} />
    </div>
  );
}
