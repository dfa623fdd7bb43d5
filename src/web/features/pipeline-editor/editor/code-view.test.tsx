import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../../test/render-app';
import { useReactFlowEnvironment } from '../../../test/react-flow-env';
import { codeText, markedLines, setCodeText } from './code-editor-testing';

const EDITOR = '/applications/web/pipelines/0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01/edit';

useReactFlowEnvironment();

describe('the code view', () => {
  it('is a code editor with line numbers and folding, and marks a problem on the line of the field it names', async () => {
    const { user } = renderApp(EDITOR);
    await screen.findByText('Tests', undefined, { timeout: 20_000 });
    await user.click(screen.getByRole('button', { name: 'JSON' }));
    const json = await screen.findByLabelText('Pipeline as JSON', undefined, { timeout: 20_000 });
    expect(json.getAttribute('contenteditable')).toBe('true');
    const editor = screen.getByTestId('code-editor');
    expect(editor.querySelector('.cm-lineNumbers')).toBeTruthy();
    expect(editor.querySelector('.cm-foldGutter')).toBeTruthy();

    setCodeText(json, codeText(json).replace('"command": "npm test"', '"command": ""'));
    const line =
      codeText(json)
        .split('\n')
        .findIndex((l) => l.includes('"command": ""')) + 1;
    expect(line).toBeGreaterThan(1);
    expect(markedLines(json)).toEqual([{ line, message: 'Tests: Command must not be empty' }]);
    const problems = screen.getByLabelText('Text problems');
    expect(within(problems).getByText(`line ${line}:`)).toBeTruthy();
    expect(problems.textContent).toContain('Tests: Command must not be empty');
  }, 60_000);
});
