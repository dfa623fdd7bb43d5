import type { z } from 'zod';
import { isStageType, stageDefinitions } from '../stages/registry';

/** A field as people call it, and the unit its numbers are in. */
export interface FieldName {
  label: string;
  unit?: 'seconds';
}

/** `healthyTimeoutSec` → "Healthy Timeout" (the forms' labels since the first editor). */
const words = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** The stage's own fields (not its config), as the editor's stage form labels them. */
const STAGE_FIELDS: Record<string, FieldName> = {
  name: { label: 'Name' },
  refId: { label: 'Stage id' },
  type: { label: 'Stage type' },
  condition: { label: 'Run only when' },
  failPolicy: { label: 'On failure' },
  timeoutSec: { label: 'Stage timeout', unit: 'seconds' },
  requisiteStageRefIds: { label: 'Depends on' },
};

/** A config field of a stage type: the label its definition gives, else its name in words; `…Sec` fields count seconds. */
export function configFieldName(type: string, field: string): FieldName {
  const given = isStageType(type) ? (stageDefinitions[type].fieldLabels as Readonly<Record<string, string>> | undefined)?.[field] : undefined;
  const seconds = field.endsWith('Sec') || field === 'seconds';
  return { label: given ?? words(field.replace(/Sec$/, '')), ...(seconds ? { unit: 'seconds' as const } : {}) };
}

/** The form's label for a config field: its name, with the unit where it has one. */
export function configFieldLabel(type: string, field: string): string {
  const name = configFieldName(type, field);
  return name.unit ? `${name.label} (${name.unit})` : name.label;
}

/**
 * The field a problem's path names: a stage's config field (its type's labels), one of the stage's
 * own fields, or a pipeline field (its last name in words).
 */
export function fieldNameAt(path: ReadonlyArray<PropertyKey>, stageType: string | undefined): FieldName {
  if (path[0] === 'stages' && typeof path[1] === 'number') {
    if (path[2] === 'config' && typeof path[3] === 'string') {
      // Nested config (canary.weight, capacity.desired): the innermost name says which.
      const last = [...path].reverse().find((p): p is string => typeof p === 'string')!;
      return last === path[3] ? configFieldName(stageType ?? '', last) : configFieldName('', last);
    }
    if (path[2] === 'config') return { label: 'Configuration' };
    if (typeof path[2] === 'string') return STAGE_FIELDS[path[2]] ?? { label: words(path[2]) };
    return { label: 'Stage' };
  }
  const last = [...path].reverse().find((p): p is string => typeof p === 'string');
  return { label: last ? words(last) : 'Pipeline' };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function amount(n: number, unit: FieldName['unit']): string {
  if (unit !== 'seconds') return String(n);
  const s = plural(n, 'second', 'seconds');
  if (n >= 86_400 && n % 86_400 === 0) return `${s} (${plural(n / 86_400, 'day', 'days')})`;
  if (n >= 3600 && n % 3600 === 0) return `${s} (${plural(n / 3600, 'hour', 'hours')})`;
  return s;
}

const KINDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
};

/** Zod's own wording, which speaks of types and operators; a message a schema gave itself is already for people. */
const ZOD_DEFAULT = /^(Too small|Too big|Invalid|Unrecognized)/;

/**
 * One zod issue as a sentence naming the field: "Wait time must be 0 seconds or more", not
 * "Too small: expected number to be >=0". The editor's problems, its form fields and the BFF's 400
 * (so the CLI) all say it this way.
 */
export function issueSentence(issue: z.core.$ZodIssue, name: FieldName): string {
  const { label, unit } = name;
  if (!ZOD_DEFAULT.test(issue.message)) return ownMessage(issue.message, issue.path, label);
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? `${label} must not be empty` : `${label} must be at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${label} needs at least ${plural(min, 'entry', 'entries')}`;
      return issue.inclusive === false ? `${label} must be more than ${amount(min, unit)}` : `${label} must be ${amount(min, unit)} or more`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `${label} must be at most ${max} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${label} can have at most ${plural(max, 'entry', 'entries')}`;
      return issue.inclusive === false ? `${label} must be less than ${amount(max, unit)}` : `${label} must be ${amount(max, unit)} or less`;
    }
    case 'invalid_type':
      if (issue.message.endsWith('received undefined')) return `${label} is required`;
      return `${label} must be ${KINDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `${label} must be ${String(issue.values[0])}` : `${label} must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return `${label} is not in the right form${issue.format === 'regex' ? '' : ` (${issue.format})`}`;
    case 'not_multiple_of':
      return `${label} must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `${label} has fields Kiln does not know: ${issue.keys.join(', ')}`;
    default:
      return `${label} is not valid`;
  }
}

/** A schema's own message: "command must not be empty" → "Command must not be empty"; "must be …" gets the label in front. */
function ownMessage(message: string, path: ReadonlyArray<PropertyKey>, label: string): string {
  const field = [...path].reverse().find((p): p is string => typeof p === 'string');
  if (field && message.toLowerCase().startsWith(`${field.toLowerCase()} `)) return `${label}${message.slice(field.length)}`;
  if (/^(must|is|needs|may) /.test(message)) return `${label} ${message}`;
  if (message.startsWith(`${label}`)) return message;
  return `${label}: ${message}`;
}
