/**
 * Trigger fields are matched when something happens (a webhook arrives, the registry changes, a
 * minute passes, a pipeline ends), before any run exists: there are no parameters, stages or
 * trigger yet for a `${ … }` to read, so none of them is evaluated. Like Spinnaker's echo, which
 * matches trigger fields as written and leaves SpEL to the run, Kiln matches them literally or as
 * regular expressions; a `${` in one would only ever match text that spells it, so it is refused
 * when the pipeline is saved instead of never firing. (A webhook secret is exempt: it is a
 * credential, used byte for byte, and random text may hold a `${`.)
 */

type Kind = 'literal' | 'regex' | 'cron' | 'timezone';

const FIELDS: Record<string, Record<string, Kind>> = {
  webhook: { payloadConstraints: 'regex' },
  cron: { expression: 'cron', timezone: 'timezone' },
  pipeline: { application: 'literal', pipeline: 'literal' },
  registry: { image: 'literal', channel: 'literal', versionRegex: 'regex' },
};

const AS: Record<Kind, string> = {
  literal: 'is matched literally',
  regex: 'is a regular expression matched as written',
  cron: 'is a cron schedule read as written',
  timezone: 'is a time zone name read as written',
};

const hasExpression = (v: unknown): v is string => typeof v === 'string' && v.includes('${');

function message(type: string, field: string, kind: Kind): string {
  return `${type} trigger ${field} ${AS[kind]}: triggers are matched before any run exists, so \`\${ … }\` is not evaluated there. Write the value itself (stages can read the run's trigger, e.g. \${ trigger.payload.ref })`;
}

/** Each `${` in a trigger field, by its path (`triggers[1].versionRegex`), with why it is refused. */
export function triggerExpressionProblems(raw: unknown): Array<{ path: string; message: string }> {
  const triggers = (raw as { triggers?: unknown } | null)?.triggers;
  if (!Array.isArray(triggers)) return [];
  return triggers.flatMap((t: unknown, i) => {
    if (t === null || typeof t !== 'object') return [];
    const type = String((t as { type?: unknown }).type);
    return Object.entries(FIELDS[type] ?? {}).flatMap(([field, kind]) => {
      const value = (t as Record<string, unknown>)[field];
      if (field === 'payloadConstraints' && value !== null && typeof value === 'object') {
        return Object.entries(value).flatMap(([key, pattern]) => {
          const path = `triggers[${i}].payloadConstraints.${key}`;
          if (key.includes('${'))
            return [{ path, message: `a webhook trigger payload constraint names a payload field by a dot path, which is matched literally: \`\${ … }\` is not evaluated there` }];
          return hasExpression(pattern) ? [{ path, message: message(type, `payload constraint '${key}'`, kind) }] : [];
        });
      }
      return hasExpression(value) ? [{ path: `triggers[${i}].${field}`, message: message(type, field, kind) }] : [];
    });
  });
}
