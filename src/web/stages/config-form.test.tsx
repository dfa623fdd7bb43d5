import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ConfigForm } from './config-form';

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
    expect(described(account)).toContain('A docker account to run the job on as a container');
    expect(described(screen.getByRole('textbox', { name: /^Image/ }))).toContain('a job on a container account needs an image');
    fireEvent.change(account, { target: { value: 'containers' } });
    expect(onChange).toHaveBeenCalledWith('account', 'containers');
  });
});
