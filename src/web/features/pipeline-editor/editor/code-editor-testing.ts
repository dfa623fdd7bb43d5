import { forEachDiagnostic } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { act } from '@testing-library/react';

/** The editor behind a code view's text (found by its label), for tests: CodeMirror's text is not an input's value. */
function editorOf(el: HTMLElement): EditorView {
  const view = EditorView.findFromDOM(el);
  if (!view) throw new Error('not a code editor');
  return view;
}

export const codeText = (el: HTMLElement) => editorOf(el).state.doc.toString();

/** Replaces the whole text, as a paste over a select-all would. */
export function setCodeText(el: HTMLElement, text: string) {
  const view = editorOf(el);
  act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: 'input.paste' }));
}

/** The 1-based lines the editor marks with a problem, and the messages. */
export function markedLines(el: HTMLElement): Array<{ line: number; message: string }> {
  const view = editorOf(el);
  const found: Array<{ line: number; message: string }> = [];
  forEachDiagnostic(view.state, (d, from) => found.push({ line: view.state.doc.lineAt(from).number, message: d.message }));
  return found;
}
