import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ModalField, ModalForm } from './modal-form';

function NameForm({ busy, onSubmit }: { busy: boolean; onSubmit: (name: string) => void }) {
  const [name, setName] = useState('');
  return (
    <ModalForm title="Rename" onClose={() => undefined} submit={{ label: 'Rename', busy, disabled: name.trim() === '', onSubmit: () => onSubmit(name) }}>
      <ModalField label="Name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} />}</ModalField>
    </ModalForm>
  );
}

describe('a modal form with a submit button', () => {
  it('sends on Enter only once the form may be sent, and never twice while busy', async () => {
    const sent = vi.fn<(name: string) => void>();
    const { rerender } = render(<NameForm busy={false} onSubmit={sent} />);
    const name = screen.getByLabelText('Name');
    await userEvent.type(name, '{Enter}');
    expect(sent).not.toHaveBeenCalled();
    expect((screen.getByRole('button', { name: 'Rename' }) as HTMLButtonElement).disabled).toBe(true);
    await userEvent.type(name, 'ship{Enter}');
    expect(sent).toHaveBeenCalledWith('ship');
    rerender(<NameForm busy onSubmit={sent} />);
    await userEvent.type(screen.getByLabelText('Name'), '{Enter}');
    expect(sent).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Working…' })).toBeTruthy();
  });
});
