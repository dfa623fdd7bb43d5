import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConfigForm } from './config-form';

/** The deploy form with its config kept in state, as the editor keeps it in the draft. */
function DeployForm({ seen }: { seen: Array<Record<string, unknown>> }) {
  const [config, setConfig] = useState<Record<string, unknown>>({ account: 'prod', region: 'east', image: 'sample-app:v1', strategy: 'redblack', maxRemainingAsgs: 2 });
  return (
    <ConfigForm
      type="deploy"
      config={config}
      errors={new Map()}
      onChange={(field, value) => {
        const next = { ...config, [field]: value };
        seen.push(next);
        setConfig(next);
      }}
    />
  );
}

describe('stage forms take ${ … } in number and choice fields', () => {
  it('keeps an expression typed into a number box as the expression, and a number as a number', async () => {
    const seen: Array<Record<string, unknown>> = [];
    render(<DeployForm seen={seen} />);
    const user = userEvent.setup();
    const box = screen.getByLabelText(/^Max Remaining Asgs/);
    await user.clear(box);
    await user.type(box, '3');
    expect(seen.at(-1)!.maxRemainingAsgs).toBe(3);
    await user.clear(box);
    // user-event reads { and [ as key names: doubled, they are typed as themselves.
    await user.type(box, '${{ parameters.keep }');
    expect(seen.at(-1)!.maxRemainingAsgs).toBe('${ parameters.keep }');
    expect((box as HTMLInputElement).value).toBe('${ parameters.keep }');
  });

  it('turns the strategy list into an expression box and back', async () => {
    const seen: Array<Record<string, unknown>> = [];
    render(<DeployForm seen={seen} />);
    const user = userEvent.setup();
    expect(screen.getByLabelText(/^Strategy( \(optional\))?$/).tagName).toBe('SELECT');
    await user.click(screen.getByRole('button', { name: 'Strategy: use an expression' }));
    const box = screen.getByLabelText(/^Strategy( \(optional\))?$/);
    expect(box.tagName).toBe('INPUT');
    expect(seen.at(-1)!.strategy).toBe('${ parameters.strategy }');
    await user.clear(box);
    await user.type(box, '${{ parameters.how }');
    expect(seen.at(-1)!.strategy).toBe('${ parameters.how }');
    await user.click(screen.getByRole('button', { name: 'Strategy: choose from the list' }));
    expect(screen.getByLabelText(/^Strategy( \(optional\))?$/).tagName).toBe('SELECT');
    expect(seen.at(-1)!.strategy).toBe('redblack');
  });
});

describe('the run-job stage form', () => {
  it('offers an account and an image, so a job can run as a container, with what each means', () => {
    const onChange = vi.fn<(field: string, value: unknown) => void>();
    render(<ConfigForm type="runJob" config={{ command: 'npm test' }} errors={new Map([['image', ['Image: a job on a container account needs an image']]])} onChange={onChange} />);
    const account = screen.getByRole('textbox', { name: /^Account/ });
    const described = (el: HTMLElement) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
    expect(described(account)).toContain('A docker account (the job runs as a container) or a kubernetes account (as a Job)');
    expect(described(screen.getByRole('textbox', { name: /^Region/ }))).toContain('the namespace the Job runs in');
    expect(described(screen.getByRole('textbox', { name: /^Image/ }))).toContain('a job on a container account needs an image');
    fireEvent.change(account, { target: { value: 'containers' } });
    expect(onChange).toHaveBeenCalledWith('account', 'containers');
  });
});
