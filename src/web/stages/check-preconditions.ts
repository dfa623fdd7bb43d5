import { defineStageUi } from './stage-ui';

export const checkPreconditionsUi = defineStageUi('checkPreconditions', {
  icon: 'M4 6h16M4 12h10M4 18h6M17 15l2 2 3-4',
  tone: 'bg-violet-100 text-violet-700 dark:bg-violet-950 dark:text-violet-300',
  summary: (c) => {
    const list = Array.isArray(c.preconditions) ? (c.preconditions as Array<{ type?: unknown }>) : [];
    if (list.length === 0) return 'no preconditions';
    const kinds = list.map((p) => (p.type === 'clusterSize' ? 'cluster size' : 'expression'));
    return `${list.length} check${list.length === 1 ? '' : 's'}: ${[...new Set(kinds)].join(', ')}`;
  },
  help: {
    preconditions: 'A JSON list. Each is {"type":"expression","expression":"${ … }"} or {"type":"clusterSize","account","region","cluster","comparison":">=","expected":3}.',
  },
});
