import { interpolate } from '../expression/evaluate';
import type { ImportContext } from './import-context';
import { translateSpel } from './spel';

/**
 * Kiln matches trigger fields as written (domain/trigger-literals.ts): a trigger is matched before
 * any run exists, so nothing is there for an expression to read. SpEL in a Spinnaker trigger field
 * is therefore kept only when it reads nothing — `${ 'release-.*' }` is worked out here — and
 * anything that reads the trigger, parameters or stages is reported by its JSON path, never carried
 * over as text that would then match nothing.
 */
export class TriggerLiterals {
  /** A field that narrowed what the trigger matches was not kept: it is imported disabled, so it does not fire for more than it did in Spinnaker. */
  incomplete = false;

  constructor(
    private readonly ctx: ImportContext,
    private readonly path: string,
  ) {}

  /** The value to match; undefined (and told) when it holds an expression Kiln cannot work out before a run. */
  of(value: string | undefined, path: string): string | undefined {
    if (value === undefined || !value.includes('${')) return value;
    const translated = translateSpel(value);
    if (translated.ok) {
      try {
        const v = interpolate(translated.text, {});
        const text = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
        if (text !== undefined && !text.includes('${')) {
          this.ctx.warn(path, `the expression '${value}' reads nothing, so it was worked out at import as '${text}' (Kiln matches trigger fields as written)`);
          return text;
        }
      } catch {
        // It reads the trigger, parameters or stages: none exists when a trigger is matched.
      }
    }
    this.ctx.warn(path, `'${value}' is an expression; Kiln matches trigger fields as written, before any run exists, so it cannot be evaluated there: not kept`);
    return undefined;
  }

  /** A value that narrows what the trigger matches: losing it imports the trigger disabled. */
  constraint(value: string | undefined, path: string): string | undefined {
    const v = this.of(value, path);
    if (value !== undefined && v === undefined) this.incomplete = true;
    return v;
  }

  /** Whether the trigger may be enabled; says why not, once, at the trigger's path. */
  enabled(wanted: boolean): boolean {
    if (!this.incomplete) return wanted;
    this.ctx.warn(this.path, 'imported disabled: a field that limits when it fires was not kept (see above); set it by hand, then enable the trigger');
    return false;
  }
}
