import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { WriteOnlySecret } from './write-only-secret';

const SET = { setAt: '2026-11-02T09:30:00.000Z', setBy: 'ana' };

describe('write-only secret', () => {
  it('says when and by whom a stored secret was set, and replaces it through an empty masked input kept from autofill', async () => {
    const user = userEvent.setup();
    const save = vi.fn<(secret: string) => Promise<unknown>>(async () => undefined);
    render(<WriteOnlySecret label="New token for ci" stored={SET} save={save} saving={false} />);
    expect(screen.getByText('Set on 2026-11-02 by ana')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Replace' }));
    const input = screen.getByLabelText<HTMLInputElement>('New token for ci');
    expect(input.value).toBe('');
    expect(input.type).toBe('password');
    expect(input.autocomplete).toBe('off');
    await user.type(input, 'new-token');
    await user.click(screen.getByRole('button', { name: 'Save token' }));
    expect(save).toHaveBeenCalledWith('new-token');
    // Saved: the input is gone and only the button to replace it again is left.
    expect(screen.queryByLabelText('New token for ci')).toBeNull();
    expect(screen.getByRole('button', { name: 'Replace' })).toBeTruthy();
  });

  it('offers Set where none is stored, keeps what was typed when the save is refused, and Cancel drops it', async () => {
    const user = userEvent.setup();
    const save = vi.fn<(secret: string) => Promise<unknown>>(async () => {
      throw new Error('refused');
    });
    render(<WriteOnlySecret label="New token for lab" stored={undefined} save={save} saving={false} />);
    expect(screen.getByText('none')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Set' }));
    await user.type(screen.getByLabelText('New token for lab'), 'too-short');
    await user.click(screen.getByRole('button', { name: 'Save token' }));
    expect(save).toHaveBeenCalledWith('too-short');
    expect(screen.getByLabelText<HTMLInputElement>('New token for lab').value).toBe('too-short');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByLabelText('New token for lab')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Set' }));
    expect(screen.getByLabelText<HTMLInputElement>('New token for lab').value).toBe('');
  });

  it('shows no button where there is no secret to set', () => {
    render(<WriteOnlySecret label="New token for local" stored={undefined} save={async () => undefined} saving={false} replaceable={false} />);
    expect(screen.getByText('none')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
