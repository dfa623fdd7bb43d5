import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { renderApp } from '../../test/render-app';

describe('deployment history page', () => {
  it('lists destroyed server groups too, and answers "what ran in production then" with one date', async () => {
    const { user } = renderApp('/applications/web/history');
    const table = await screen.findByRole('table', { name: 'Deployment history' });
    // The mock world's destroyed predecessor of prod/us-east-1's web-prod cluster is there, with who destroyed it.
    const gone = within(table).getAllByRole('row', { name: /web-prod-v000/ })[0]!;
    expect(gone.textContent).toContain('web:0.9.0');
    expect(gone.textContent).toContain('by bo');

    await user.selectOptions(screen.getByLabelText('Environment'), 'prod');
    // A moment when only the oldest prod groups ran: one day before web-prod-v001 launched.
    const v001 = db.serverGroups.find((g) => g.name === 'web-prod-v001')!;
    const dayBefore = new Date(Date.parse(v001.launchedAt) - 86_400_000);
    const local = new Date(dayBefore.getTime() - dayBefore.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    fireEvent.change(screen.getByLabelText('Running at'), { target: { value: local } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/server groups? of web in prod ran at/));
    const rows = within(screen.getByRole('table', { name: 'Deployment history' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(rows.map(() => 'web-prod-v000'));
  });
});
