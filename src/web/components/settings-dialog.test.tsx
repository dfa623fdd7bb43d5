import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { SettingsDialog } from './settings-dialog';

const action = (over: Partial<{ error: Error | null }> = {}) => ({ mutate: vi.fn<() => void>(), reset: vi.fn<() => void>(), isPending: false, error: null, ...over });

function SettingsButton({ save = action() }: { save?: ReturnType<typeof action> }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Settings
      </button>
      {open && (
        <SettingsDialog title="Application web" noun="application" name="web" save={save} remove={action()} removeNote="It must have no pipelines." onClose={() => setOpen(false)}>
          <label>
            Email <input />
          </label>
        </SettingsDialog>
      )}
    </>
  );
}

describe('settings dialog', () => {
  it('saves on Enter and shows why the server refused', async () => {
    const user = userEvent.setup();
    const save = action({ error: new Error("Field 'email' is not an email address.") });
    render(<SettingsButton save={save} />);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.type(screen.getByRole('textbox', { name: 'Email' }), 'x{Enter}');
    expect(save.mutate).toHaveBeenCalledOnce();
    expect(screen.getByRole('alert').textContent).toBe("Field 'email' is not an email address.");
  });

  it('gives focus back to the button that opened it when closed with Escape', async () => {
    const user = userEvent.setup();
    render(<SettingsButton />);
    const opener = screen.getByRole('button', { name: 'Settings' });
    await user.click(opener);
    await user.click(screen.getByRole('textbox', { name: 'Email' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('asks for the name to be typed before a delete', async () => {
    const user = userEvent.setup();
    render(<SettingsButton />);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(screen.getByRole('button', { name: 'Delete application…' }));
    expect(screen.getByRole('dialog', { name: 'Delete application web?' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Delete web' }) as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByRole('textbox', { name: /to confirm/ }), 'web');
    expect((screen.getByRole('button', { name: 'Delete web' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
