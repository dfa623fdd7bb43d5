interface DemoBannerProps {
  /** What the page shows: "project", "application". */
  subject: string;
}

/** Tells a newcomer this project is Kiln's demo (real, but not theirs) before they act on it. */
export function DemoBanner({ subject }: DemoBannerProps) {
  return (
    <div
      role="note"
      aria-label="Demo"
      className="flex items-start gap-2 rounded-md border border-violet-200 bg-violet-50 px-3 py-2 text-sm text-violet-900 dark:border-violet-400/25 dark:bg-violet-400/10 dark:text-violet-200"
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" className="mt-0.5 size-4 shrink-0 fill-current">
        <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm0 3a1 1 0 1 1 0 2 1 1 0 0 1 0-2Zm1.25 8h-2.5v-1h.75V8h-.75V7h1.75v4h.75v1Z" />
      </svg>
      <p>
        <strong className="font-semibold">Demo.</strong> Kiln set up this {subject} on first start so there is something to run: its image, instances, load balancers and executions
        are real, on this machine. Start Kiln with <code className="font-mono text-xs">KILN_DEMO=false</code> on an empty database to skip it.
      </p>
    </div>
  );
}
