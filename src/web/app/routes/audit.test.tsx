import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render-app';

describe('the audit log page', () => {
  it('lists who did what to which target under named columns', async () => {
    renderApp('/admin/audit');
    const row = (await screen.findByRole('cell', { name: 'PUT /api/pipelines/:pipelineId' })).closest('tr')!;
    expect(within(row).getByRole('cell', { name: 'ana' })).toBeTruthy();
    expect(within(row).getByRole('cell', { name: '200' })).toBeTruthy();
    const table = row.closest('table')!;
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['When', 'Who', 'Action', 'Target', 'Result', 'From']);
  });

  it('says so when the search in the address matches nothing', async () => {
    renderApp('/admin/audit?q=nobody-did-this');
    expect(await screen.findByText('Nothing matches.')).toBeTruthy();
    expect(screen.queryByRole('cell', { name: 'ana' })).toBeNull();
  });
});
