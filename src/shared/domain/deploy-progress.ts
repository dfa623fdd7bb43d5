/**
 * A deploy's progress steps travel as lines of the stage's log, so they are stored and streamed
 * like any other output (a page opened later, or after a restart, reads them back) and still read
 * as plain text in a downloaded log: `▸ healthy 2/3 instances of web-prod-v002 healthy`.
 */
export const STEP_KINDS = ['created', 'healthy', 'traffic', 'canary', 'enabled', 'disabled', 'destroyed', 'rollback', 'done', 'failed'] as const;
export type DeployStepKind = (typeof STEP_KINDS)[number];

export interface DeployStep {
  kind: DeployStepKind;
  text: string;
}

const MARK = '▸ ';
const KINDS = new Set<string>(STEP_KINDS);

export const stepLine = (kind: DeployStepKind, text: string) => `${MARK}${kind} ${text}`;

/** The step a log line records, or undefined for any other line. */
export function parseStepLine(line: string): DeployStep | undefined {
  if (!line.startsWith(MARK)) return undefined;
  const space = line.indexOf(' ', MARK.length);
  if (space < 0) return undefined;
  const kind = line.slice(MARK.length, space);
  return KINDS.has(kind) ? { kind: kind as DeployStepKind, text: line.slice(space + 1) } : undefined;
}

/** Stage types whose log holds progress steps rather than a program's output. */
export const STEP_STAGE_TYPES: ReadonlySet<string> = new Set(['deploy', 'rollbackCluster']);
