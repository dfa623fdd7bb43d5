import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../../../../mocks/node';
import { createQueryClient } from '../../lib/query-client';
import { useFakeLayout } from '../../test/fake-layout';
import { InstanceLog } from './instance-log';

useFakeLayout();

const ID = 'i-0a1b2c3d';

describe('instance log', () => {
  it('opens an instance process log in the log viewer: colours, search and text never read as markup', async () => {
    server.use(
      http.get('*/api/instances/:id/log', () =>
        HttpResponse.json({ instanceId: ID, text: 'listening on 127.0.0.1:40001\n\x1b[31mboom\x1b[0m <b>not bold</b>\nreported ready\n', truncated: true }),
      ),
    );
    render(
      <QueryClientProvider client={createQueryClient({ retry: false })}>
        <InstanceLog instanceId={ID} />
      </QueryClientProvider>,
    );
    const log = await screen.findByRole('region', { name: `Log of ${ID}` });
    expect(await within(log).findByText('reported ready')).toBeTruthy();
    expect(within(log).getByText('3 lines')).toBeTruthy();
    expect(within(log).getByText('boom').style.color).toBe('rgb(187, 0, 0)');
    expect(log.querySelector('[role="log"] b')).toBeNull();
    expect(within(log).getByRole('searchbox', { name: 'Search the log' })).toBeTruthy();
    expect(screen.getByText(/last 32 KB/)).toBeTruthy();
  });
});
