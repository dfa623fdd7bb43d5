import { lazy, Suspense, useRef, useState } from 'react';
import { Button } from '../../../components/button';
import { useDraftStore } from './draft-context';
import { EditorDialog } from './editor-dialog';
import { lenientDraft, stableJson } from './pipeline-draft';

// Both load with a Spinnaker file: opening the editor does not pay for the import path.
const AccountMapStep = lazy(() => import('./account-map-step').then((m) => ({ default: m.AccountMapStep })));

interface ImportReport {
  title: string;
  lines: string[];
  error?: boolean;
}

const isKilnExport = (v: unknown) => v !== null && typeof v === 'object' && 'concurrency' in v && Array.isArray((v as { stages?: unknown }).stages);

/** Import a Spinnaker pipeline JSON (or a Kiln export) into this draft, one undo step; export the draft as Kiln JSON. */
export function ImportExport() {
  const store = useDraftStore();
  const input = useRef<HTMLInputElement>(null);
  const [report, setReport] = useState<ImportReport>();
  const [mapping, setMapping] = useState<{ json: unknown; fileName: string; accounts: string[] }>();

  const importText = async (text: string, fileName: string) => {
    // The importer loads when a file is chosen: opening the editor does not pay for it.
    const { importSizeProblem } = await import('../../../../shared/spinnaker/import');
    const tooBig = importSizeProblem(text.length);
    if (tooBig) return setReport({ title: `${fileName} cannot be imported`, lines: [tooBig], error: true });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return setReport({ title: `${fileName} is not JSON`, lines: [(err as Error).message], error: true });
    }
    const current = store.getState().draft;
    if (isKilnExport(json)) {
      const result = lenientDraft(json, current);
      if ('error' in result) return setReport({ title: `${fileName} cannot be imported`, lines: [result.error], error: true });
      store.getState().replaceDraft({ ...result.draft, name: current.name });
      store.getState().requestLayout();
      return setReport({ title: `Imported ${result.draft.stages.length} stages from a Kiln export`, lines: [] });
    }
    if (Array.isArray(json)) {
      return setReport({
        title: `${fileName} holds ${json.length} pipelines`,
        lines: ['The editor imports one pipeline into this draft: pick one, or import them all with `kiln spinnaker import FILE --app NAME`.'],
        error: true,
      });
    }
    const { spinnakerAccountsOf } = await import('../../../../shared/spinnaker/accounts-of');
    const accounts = spinnakerAccountsOf(json);
    // Like the CLI's --account-map: the person says what each Spinnaker account is in Kiln first.
    if (accounts.length > 0) return setMapping({ json, fileName, accounts });
    await importSpinnaker(json, fileName, {});
  };

  const importSpinnaker = async (json: unknown, fileName: string, accounts: Record<string, string>) => {
    const { describeImport, importSpinnakerPipeline } = await import('../../../../shared/spinnaker/import');
    const current = store.getState().draft;
    const result = importSpinnakerPipeline(json, current.application, { accounts });
    if (!result.ok) return setReport({ title: `${fileName} cannot be imported`, lines: [result.error], error: true });
    // The pipeline keeps its own name: names are unique per application and this one is already taken by us.
    store.getState().replaceDraft({ ...result.draft, name: current.name, description: result.draft.description || current.description });
    store.getState().requestLayout();
    setReport({
      title: `Imported ${result.draft.stages.length} stages from Spinnaker pipeline “${result.draft.name}”`,
      lines: [
        describeImport(result),
        ...result.secrets.map((t) => `Webhook trigger ${t.trigger + 1} got a generated secret, shown only now: ${t.secret}`),
        ...(result.warnings.length ? result.warnings : ['Everything was carried over.']),
      ],
    });
  };

  const exportDraft = () => {
    const { draft } = store.getState();
    const url = URL.createObjectURL(new Blob([stableJson(draft)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${draft.name.replace(/[^A-Za-z0-9_-]+/g, '-')}.kiln.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => input.current?.click()}>
        Import…
      </Button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        className="sr-only"
        aria-label="Import a Spinnaker pipeline JSON file"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void file.text().then((t) => importText(t, file.name));
        }}
      />
      <Button size="sm" variant="ghost" onClick={exportDraft}>
        Export
      </Button>
      {mapping && (
        <Suspense fallback={null}>
          <AccountMapStep
            fileName={mapping.fileName}
            accounts={mapping.accounts}
            onCancel={() => setMapping(undefined)}
            onImport={(map) => {
              setMapping(undefined);
              void importSpinnaker(mapping.json, mapping.fileName, map);
            }}
          />
        </Suspense>
      )}
      {report && (
        <EditorDialog title={report.title} onClose={() => setReport(undefined)}>
          <ul className={`list-disc pl-5 text-sm ${report.error ? 'text-red-700 dark:text-red-400' : ''}`}>
            {report.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          {!report.error && <p className="text-xs text-zinc-500">Undo (Ctrl+Z) puts the previous draft back. Nothing is saved until you save.</p>}
          <div className="flex justify-end">
            <Button variant="primary" onClick={() => setReport(undefined)}>
              OK
            </Button>
          </div>
        </EditorDialog>
      )}
    </>
  );
}
