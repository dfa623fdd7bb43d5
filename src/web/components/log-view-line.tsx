import Anser from 'anser';
import { memo, type CSSProperties } from 'react';

/**
 * One line's ANSI colours as React text in spans: the text is never parsed as HTML, so a log line
 * holding `<script>` shows those characters. Anser gives colours as "r, g, b" strings.
 */
export const AnsiText = memo(function AnsiText({ line }: { line: string }) {
  if (!line.includes('\x1b')) return <>{line}</>;
  const parts = Anser.ansiToJson(line, { json: true, remove_empty: true });
  return (
    <>
      {parts.map((p, i) => {
        const style: CSSProperties = {};
        if (p.fg) style.color = `rgb(${p.fg})`;
        if (p.bg) style.backgroundColor = `rgb(${p.bg})`;
        const d = p.decorations;
        if (d.includes('bold')) style.fontWeight = 600;
        if (d.includes('dim')) style.opacity = 0.7;
        if (d.includes('italic')) style.fontStyle = 'italic';
        if (d.includes('underline')) style.textDecoration = 'underline';
        if (d.includes('strikethrough')) style.textDecoration = 'line-through';
        if (d.includes('hidden')) style.visibility = 'hidden';
        return Object.keys(style).length === 0 ? (
          <span key={i}>{p.content}</span>
        ) : (
          <span key={i} style={style}>
            {p.content}
          </span>
        );
      })}
    </>
  );
});
