import type { FailPolicy, StageConfig } from '../domain/pipeline';
import { Fields, isObject, type Json } from './fields';
import { translateSpel } from './spel';

/** What the person importing says about their world: Spinnaker account and region names to Kiln's. */
export interface ImportOptions {
  accounts?: Readonly<Record<string, string>>;
  regions?: Readonly<Record<string, string>>;
  /** Recipes that exist in Kiln: a bake naming one of them uses it, any other gets a recipe draft. */
  recipes?: readonly string[];
  /** CI servers that exist in Kiln: a Jenkins stage's `master` names one of them (by the same name). */
  ciServers?: readonly string[];
}

/** A recipe the importer could only sketch from a bake's package and base settings; saved by a person. */
export interface RecipeDraft {
  name: string;
  base: { type: 'debian'; suite: string };
  provisioners: Array<{ type: 'packages'; packages: string[] }>;
  fromStage: string;
}

/** One Kiln stage made from a Spinnaker stage (a deploy of two clusters makes two). */
export interface Mapped {
  type: string;
  config: Record<string, unknown>;
  /** Told apart when one Spinnaker stage makes several: "us-east-1", "prod". */
  suffix?: string;
}

export interface SpinnakerStage {
  fields: Fields;
  name: string;
  /** The Kiln name of the nearest stage before it that produces an image (bake, find image). */
  imageSource?: string;
}

/** Spinnaker's three failure flags as one Kiln policy. */
export function failPolicyOf(s: Fields): FailPolicy {
  s.take('failPipeline', 'continuePipeline', 'completeOtherBranchesThenFail');
  if (s.bool('completeOtherBranchesThenFail') === true) return 'fail_after_branches';
  if (s.bool('failPipeline') === false) return s.bool('continuePipeline') === true ? 'ignore' : 'halt_branch';
  return 'halt_pipeline';
}

export const wrap = (e: string) => (/^\s*\$\{[\s\S]*\}\s*$/.test(e) ? e.trim() : `\${ ${e.trim()} }`);

export class ImportContext {
  readonly warnings: string[] = [];
  readonly recipeDrafts: RecipeDraft[] = [];

  constructor(readonly options: ImportOptions) {}

  warn(path: string, message: string): void {
    this.warnings.push(`${path}: ${message}`);
  }

  /** A text field with SpEL in Kiln's language; what cannot be translated is kept as written and told. */
  text(s: Fields, key: string): string | undefined {
    const v = s.str(key);
    return v === undefined ? undefined : this.translate(v, `${s.path}.${key}`);
  }

  translate(value: string, path: string): string {
    const r = translateSpel(value);
    if (!r.ok) this.warn(path, `expression not translated (${r.reason}); kept as written, fix it before running`);
    return r.text;
  }

  /** Every string inside a JSON value translated (webhook payloads, parameters). */
  translateDeep(value: unknown, path: string): unknown {
    if (typeof value === 'string') return this.translate(value, path);
    if (Array.isArray(value)) return value.map((v, i) => this.translateDeep(v, `${path}[${i}]`));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.translateDeep(v, `${path}.${k}`)]));
    return value;
  }

  private mapName(kind: 'account' | 'region', name: string | undefined, path: string): string {
    const table = kind === 'account' ? this.options.accounts : this.options.regions;
    if (name === undefined || name === '') {
      this.warn(path, `no ${kind}; set one before saving`);
      return '';
    }
    if (name.includes('${')) return this.translate(name, path);
    const mapped = table && Object.hasOwn(table, name) ? table[name]! : undefined;
    if (mapped !== undefined) return mapped;
    if (table && Object.keys(table).length > 0) this.warn(path, `${kind} '${name}' is not in the ${kind} map; kept as '${name}'`);
    return name;
  }

  account(name: string | undefined, path: string): string {
    return this.mapName('account', name, path);
  }

  region(name: string | undefined, path: string): string {
    return this.mapName('region', name, path);
  }
}

/** Stage-level settings every Spinnaker stage may carry, as Kiln's stage fields. */
export function commonOf(s: Fields, ctx: ImportContext, timeoutInConfig: boolean): Partial<Pick<StageConfig, 'failPolicy' | 'timeoutSec' | 'condition'>> {
  const out: Partial<Pick<StageConfig, 'failPolicy' | 'timeoutSec' | 'condition'>> = { failPolicy: failPolicyOf(s) };
  const timeout = s.num('stageTimeoutMs');
  s.take('overrideTimeout');
  if (!timeoutInConfig && timeout !== undefined && timeout >= 1000) out.timeoutSec = Math.min(30 * 24 * 3600, Math.round(timeout / 1000));
  const enabled = s.sub('stageEnabled');
  const expression = enabled.str('expression');
  enabled.take('type');
  if (expression) out.condition = ctx.translate(wrap(expression), `${enabled.path}.expression`);
  return out;
}

export type { Json };
