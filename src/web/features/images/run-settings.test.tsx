import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render-app';
import { RunSettings } from './run-settings';

describe('how an image version runs', () => {
  it("shows each version's health path and CPU and memory in the versions table", async () => {
    renderApp('/images/shop-web');
    const table = await screen.findByRole('table', { name: 'Versions of shop-web' }, { timeout: 5000 });
    const row = within(table).getAllByRole('row')[1]!;
    const run = within(row).getByRole('group', { name: 'Run settings' });
    expect(run.textContent).toBe('health /ready0.5 CPU, 256 MiB per instance');
    expect(within(run).getByText('0.5 CPU, 256 MiB per instance').getAttribute('title')).toMatch(/local cloud .* cannot enforce them/);
  });

  it('says when a version has no limits, who it runs as, and nothing for an image without a run section', () => {
    const { container, rerender } = render(<RunSettings run={{ entrypoint: 'server.mjs', healthPath: '/health', user: 'storefront' }} />);
    expect(screen.getByRole('group', { name: 'Run settings' }).textContent).toBe('health /health · runs as storefrontno CPU or memory limits');
    rerender(<RunSettings run={undefined} />);
    expect(container.textContent).toBe('');
  });
});
