import { clip, defineStageUi } from './stage-ui';

export const evaluateVariablesUi = defineStageUi('evaluateVariables', {
  icon: 'M7 4H5v16h2M17 4h2v16h-2M9 9l6 6M15 9l-6 6',
  tone: 'bg-teal-100 text-teal-700 dark:bg-teal-950 dark:text-teal-300',
  summary: (c) => {
    const vars = Array.isArray(c.variables) ? (c.variables as Array<{ key?: unknown }>) : [];
    return vars.length === 0 ? 'no variables' : clip(vars.map((v) => String(v.key ?? '?')).join(', '), 40);
  },
  help: {
    variables: 'A JSON list of {"key":"name","value":"${ … }"}; later stages read them as outputs.',
  },
});
