import { clearStageCache, getStageCache } from '../../shared/api/stage-cache';
import { defineCommand } from '../command';
import { EXIT } from '../io';
import { print, table } from '../output';

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : bytes < 1024 ** 3
        ? `${(bytes / 1024 ** 2).toFixed(1)} MiB`
        : `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

export const imageCacheCommands = [
  defineCommand({
    words: ['image', 'cache'],
    args: [],
    summary: "Show the multi-stage recipes' build stage cache, or remove every entry no running bake uses with --clear (admins)",
    options: { clear: { type: 'boolean', default: false } },
    optionHelp: ['--clear  remove every cached stage no running bake uses (the next bakes build their stages again)'],
    async run({ io, client, values, json }) {
      if (values.clear) {
        const cleared = await client(clearStageCache);
        const kept = cleared.kept > 0 ? `; kept ${cleared.kept} a running bake uses (${size(cleared.keptBytes)})` : '';
        print(io, json, cleared, () => `Removed ${cleared.removed} cached stage${cleared.removed === 1 ? '' : 's'} (${size(cleared.removedBytes)})${kept}\n`);
        return EXIT.ok;
      }
      const cache = await client(getStageCache);
      print(io, json, cache, () => {
        const head = `${cache.entries.length} cached stage${cache.entries.length === 1 ? '' : 's'}, ${size(cache.totalBytes)} (limit ${size(cache.policy.maxBytes)}; unused ${cache.policy.maxAgeDays} days go)\n`;
        if (cache.entries.length === 0) return head;
        const rows = cache.entries.map((e) => [
          e.key.slice(0, 12),
          size(e.sizeBytes),
          e.lastUsedAt.slice(0, 16).replace('T', ' '),
          e.keptFor === 'in-use' ? 'in use by a bake' : e.keptFor === 'newest' ? `newest: ${e.usedBy ?? ''}` : '-',
        ]);
        return `${head}${table(['KEY', 'SIZE', 'LAST USED', 'KEPT FOR'], rows)}`;
      });
      return EXIT.ok;
    },
  }),
];
