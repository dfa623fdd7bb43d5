import type { Pipeline } from '../shared/domain/pipeline';
import { EngineError } from './errors';

/** The run's parameters: given values, else defaults; required, options and unknown names checked. */
export function resolveParameters(pipeline: Pipeline, given: Record<string, string>): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const p of pipeline.parameters) {
    const value = given[p.name] ?? p.default;
    if (value === undefined || (p.required && value === '')) {
      throw new EngineError('bad_request', `parameter '${p.name}' is required`, `parameters.${p.name}`);
    }
    if (p.options && !p.options.includes(value)) {
      throw new EngineError('bad_request', `parameter '${p.name}' must be one of ${p.options.join(', ')}`, `parameters.${p.name}`);
    }
    parameters[p.name] = value;
  }
  const unknown = Object.keys(given).filter((k) => !pipeline.parameters.some((p) => p.name === k));
  if (unknown.length > 0) throw new EngineError('bad_request', `unknown parameter '${unknown[0]}'`, `parameters.${unknown[0]}`);
  return parameters;
}
