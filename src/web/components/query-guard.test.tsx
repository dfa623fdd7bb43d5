import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../lib/api-client';
import { QueryGuard } from './query-guard';

const query = (state: { data?: string; error?: Error }) => ({
  data: state.data,
  error: state.error ?? null,
  isError: state.error !== undefined,
  isFetching: false,
  refetch: vi.fn<() => Promise<unknown>>(async () => undefined),
});

const guard = (q: ReturnType<typeof query>) =>
  render(
    <QueryGuard query={q} loading={<p>Loading the thing…</p>} notFound={<p>No such thing</p>} action={<a href="/x">Clear filters</a>}>
      {(data) => <h1>{data}</h1>}
    </QueryGuard>,
  );

describe('a route guarded by QueryGuard', () => {
  it('shows the skeleton until the first answer, then the page', () => {
    const { rerender } = guard(query({}));
    expect(screen.getByText('Loading the thing…')).toBeTruthy();
    rerender(
      <QueryGuard query={query({ data: 'web' })} loading={<p>Loading the thing…</p>}>
        {(data) => <h1>{data}</h1>}
      </QueryGuard>,
    );
    expect(screen.getByRole('heading', { name: 'web' })).toBeTruthy();
    expect(screen.queryByText('Loading the thing…')).toBeNull();
  });

  it('says a missing thing does not exist instead of offering a retry', () => {
    guard(query({ error: new ApiRequestError(404, 'not_found', "project 'x' does not exist") }));
    expect(screen.getByText('No such thing')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /retry/i })).toBeNull();
  });

  it('offers Retry after an outage, even over data it had before, and asks again when clicked', async () => {
    const q = query({ data: 'stale', error: new ApiRequestError(503, 'internal', 'database is down') });
    guard(q);
    expect(screen.queryByRole('heading', { name: 'stale' })).toBeNull();
    expect(screen.getByText('database is down')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: /retry/i }));
    expect(q.refetch).toHaveBeenCalledTimes(1);
  });

  it('offers the way out on a refusal that a retry cannot fix', () => {
    guard(query({ error: new ApiRequestError(400, 'bad_request', 'status: unknown value', 'status') }));
    expect(screen.getByRole('link', { name: 'Clear filters' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /retry/i })).toBeNull();
  });
});
