import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { RecipeDraftInput } from '../../../shared/domain/recipe';
import { RecipeForm } from './recipe-form';

type Draft = RecipeDraftInput & Record<string, unknown>;

function Harness({ initial, seen }: { initial: Draft; seen: Draft[] }) {
  const [draft, setDraft] = useState(initial);
  return (
    <RecipeForm
      draft={draft}
      onChange={(next) => {
        seen.push(next);
        setDraft(next);
      }}
    />
  );
}

describe('the recipe form', () => {
  it('labels each setting, explains it in a hint and edits the draft', async () => {
    const seen: Draft[] = [];
    render(<Harness initial={{ name: 'web', builder: 'bundle', base: { type: 'scratch' } } as Draft} seen={seen} />);
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('web');
    expect(screen.getByText(/bundle: a compressed root the local cloud runs/)).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText('Base'), 'debian');
    expect(seen.at(-1)?.base).toEqual({ type: 'debian', suite: 'bookworm' });
    expect((screen.getByLabelText('Debian suite') as HTMLInputElement).value).toBe('bookworm');
    expect(screen.getByText(/Bootstrapped with mmdebstrap/)).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Artifact: source'), '/srv/app');
    expect(seen.at(-1)?.artifact).toEqual({ source: '/srv/app', destination: '/app' });
    expect((screen.getByLabelText('Artifact: destination in the image') as HTMLInputElement).disabled).toBe(false);
    await userEvent.click(screen.getByLabelText('Tests: boot'));
    expect(seen.at(-1)?.tests).toEqual({ boot: false });
  });

  it('lists the build stages and what the image copies from them', () => {
    const draft = {
      name: 'shop-small',
      builder: 'oci',
      base: { type: 'scratch' },
      stages: [{ name: 'build', base: { type: 'debian', suite: 'bookworm' }, provisioners: [{ type: 'packages' }, { type: 'shell', script: 'npm ci' }] }],
      copy: [{ from: 'build', source: '/src/dist', destination: '/app' }],
    } as Draft;
    render(<Harness initial={draft} seen={[]} />);
    expect(screen.getByRole('list', { name: 'Build stages' }).textContent).toBe('build on debian bookworm, 2 provisioners');
    expect(screen.getByRole('list', { name: 'Copies from stages' }).textContent).toBe('build:/src/dist → /app');
  });
});
