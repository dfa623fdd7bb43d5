import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, foldGutter, foldKeymap, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Annotation, Compartment, EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useEffect, useRef } from 'react';

/** A problem to mark: the character offset of its line, and what to say. */
export interface CodeMark {
  offset: number;
  message: string;
}

interface CodeEditorProps {
  text: string;
  format: 'json' | 'yaml';
  label: string;
  marks: readonly CodeMark[];
  dark: boolean;
  readOnly?: boolean;
  onChange: (text: string) => void;
}

/** Changes made from outside (the draft moved on): not typed, so not sent back. */
const external = Annotation.define<boolean>();

const darkHighlight = HighlightStyle.define([
  { tag: tags.propertyName, color: '#7dd3fc' },
  { tag: [tags.string, tags.special(tags.string)], color: '#86efac' },
  { tag: [tags.number, tags.bool, tags.null], color: '#fdba74' },
  { tag: [tags.comment], color: '#a1a1aa', fontStyle: 'italic' },
  { tag: [tags.keyword, tags.definition(tags.propertyName)], color: '#c4b5fd' },
]);

function look(dark: boolean) {
  return [
    EditorView.theme(
      {
        '&': { height: '100%', fontSize: '12px', backgroundColor: dark ? '#09090b' : '#ffffff', color: dark ? '#f4f4f5' : '#18181b' },
        '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', lineHeight: '20px' },
        '.cm-gutters': { backgroundColor: dark ? '#18181b' : '#fafafa', color: dark ? '#a1a1aa' : '#52525b', borderRight: `1px solid ${dark ? '#27272a' : '#e4e4e7'}` },
        '.cm-activeLine': { backgroundColor: dark ? '#27272a80' : '#f4f4f580' },
        '.cm-activeLineGutter': { backgroundColor: dark ? '#27272a' : '#f4f4f5' },
        '&.cm-focused': { outline: '2px solid #f97316', outlineOffset: '-2px' },
        '.cm-cursor': { borderLeftColor: dark ? '#f4f4f5' : '#18181b' },
      },
      { dark },
    ),
    syntaxHighlighting(dark ? darkHighlight : defaultHighlightStyle),
  ];
}

function diagnostics(state: EditorState, marks: readonly CodeMark[]): Diagnostic[] {
  return marks
    .filter((m) => m.offset <= state.doc.length)
    .map((m) => {
      const line = state.doc.lineAt(m.offset);
      return { from: line.from, to: line.to, severity: 'error', message: m.message };
    });
}

/**
 * CodeMirror 6 on a piece of text: highlighting, line numbers, folding, problems marked on their
 * lines (a gutter mark and a wavy underline, the message on hover). Loaded with the code view only.
 */
export function CodeEditor({ text, format, label, marks, dark, readOnly = false, onChange }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const theme = useRef(new Compartment());
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: text,
        extensions: [
          lineNumbers(),
          foldGutter(),
          lintGutter(),
          highlightActiveLine(),
          highlightActiveLineGutter(),
          history(),
          indentOnInput(),
          bracketMatching(),
          keymap.of([...defaultKeymap, ...historyKeymap, ...foldKeymap, indentWithTab]),
          format === 'json' ? json() : yaml(),
          theme.current.of(look(dark)),
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', spellcheck: 'false' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((t) => t.annotation(external))) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // One editor per format and label; text, marks and theme follow below without rebuilding it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [format, label, readOnly]);

  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === text) return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text }, annotations: external.of(true) });
  }, [text]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnostics(v.state, marks)));
  }, [marks, text]);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(look(dark)) });
  }, [dark]);

  return <div ref={host} className="min-h-0 flex-1 overflow-hidden" data-testid="code-editor" />;
}
