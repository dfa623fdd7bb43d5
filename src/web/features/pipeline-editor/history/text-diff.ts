/** One row of a side-by-side diff: a line on the left, the right, or both when unchanged. */
export interface DiffRow {
  left?: { n: number; text: string };
  right?: { n: number; text: string };
  kind: 'same' | 'removed' | 'added' | 'changed';
}

/**
 * Line diff by longest common subsequence, with the common head and tail trimmed first so a
 * small change to a big pipeline stays cheap. Adjacent removals and additions pair up as "changed".
 */
export function diffLines(a: string, b: string): DiffRow[] {
  const left = a.split('\n');
  const right = b.split('\n');
  let head = 0;
  while (head < left.length && head < right.length && left[head] === right[head]) head++;
  let tail = 0;
  while (tail < left.length - head && tail < right.length - head && left[left.length - 1 - tail] === right[right.length - 1 - tail]) tail++;
  const l = left.slice(head, left.length - tail);
  const r = right.slice(head, right.length - tail);

  // lcs[i][j] = LCS length of l[i..] and r[j..]
  const lcs: Uint32Array[] = Array.from({ length: l.length + 1 }, () => new Uint32Array(r.length + 1));
  for (let i = l.length - 1; i >= 0; i--) {
    for (let j = r.length - 1; j >= 0; j--) {
      lcs[i]![j] = l[i] === r[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const rows: DiffRow[] = [];
  for (let k = 0; k < head; k++) rows.push({ kind: 'same', left: { n: k + 1, text: left[k]! }, right: { n: k + 1, text: right[k]! } });
  let i = 0;
  let j = 0;
  let removed: DiffRow[] = [];
  let added: DiffRow[] = [];
  const flush = () => {
    const pairs = Math.min(removed.length, added.length);
    for (let k = 0; k < pairs; k++) rows.push({ kind: 'changed', left: removed[k]!.left!, right: added[k]!.right! });
    rows.push(...removed.slice(pairs), ...added.slice(pairs));
    removed = [];
    added = [];
  };
  while (i < l.length || j < r.length) {
    if (i < l.length && j < r.length && l[i] === r[j]) {
      flush();
      rows.push({ kind: 'same', left: { n: head + i + 1, text: l[i]! }, right: { n: head + j + 1, text: r[j]! } });
      i++;
      j++;
    } else if (j >= r.length || (i < l.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      removed.push({ kind: 'removed', left: { n: head + i + 1, text: l[i]! } });
      i++;
    } else {
      added.push({ kind: 'added', right: { n: head + j + 1, text: r[j]! } });
      j++;
    }
  }
  flush();
  for (let k = tail; k > 0; k--) {
    const li = left.length - k;
    const ri = right.length - k;
    rows.push({ kind: 'same', left: { n: li + 1, text: left[li]! }, right: { n: ri + 1, text: right[ri]! } });
  }
  return rows;
}
