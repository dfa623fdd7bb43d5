import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ConfirmDialog } from './confirm-dialog';

function DestroyButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button">Before</button>
      <button type="button" onClick={() => setOpen(true)}>
        Destroy
      </button>
      {open && (
        <ConfirmDialog
          title="Destroy web-prod-v003?"
          confirmLabel="Destroy"
          reasonLabel="Reason"
          busy={false}
          error={undefined}
          onConfirm={() => setOpen(false)}
          onClose={() => setOpen(false)}
        >
          It stops every instance.
        </ConfirmDialog>
      )}
    </>
  );
}

describe('confirm dialog', () => {
  it('gives focus back to the button that opened it when closed with Escape', async () => {
    const user = userEvent.setup();
    render(<DestroyButton />);
    const opener = screen.getByRole('button', { name: 'Destroy' });
    await user.click(opener);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Reason' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('gives focus back after Cancel too', async () => {
    const user = userEvent.setup();
    render(<DestroyButton />);
    const opener = screen.getByRole('button', { name: 'Destroy' });
    await user.click(opener);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(opener);
  });
});
