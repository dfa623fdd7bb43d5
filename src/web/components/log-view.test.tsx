import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { LogView } from './log-view';
import { buildRows } from './log-view-model';
import { useFakeLayout } from '../test/fake-layout';

useFakeLayout();

const ESC = '\x1b';

function renderLog(lines: string[], extra: Partial<Parameters<typeof LogView>[0]> = {}) {
  const onSelectLine = vi.fn<(line: number) => void>();
  const view = render(<LogView lines={lines} label="Log of Build" live={false} fileName="build.log" onSelectLine={onSelectLine} {...extra} />);
  return { ...view, onSelectLine, user: userEvent.setup() };
}

const lineRow = (n: number) => document.querySelector<HTMLElement>(`[data-line="${n}"]`);

describe('log view', () => {
  it('draws ANSI colours as styled text and never turns log text into markup', () => {
    renderLog([`${ESC}[31mred error${ESC}[0m plain`, '<script>window.pwned = 1</script>', `${ESC}[1;32m<b>ok</b>${ESC}[0m`]);
    const red = within(lineRow(1)!).getByText('red error');
    expect(red.style.color).toBe('rgb(187, 0, 0)');
    expect(within(lineRow(1)!).getByText('plain', { exact: false }).style.color).toBe('');
    expect(lineRow(2)!.textContent).toContain('<script>window.pwned = 1</script>');
    expect(document.querySelector('[role="log"] script')).toBeNull();
    const bold = within(lineRow(3)!).getByText('<b>ok</b>');
    expect(bold.style.fontWeight).toBe('600');
    expect(document.querySelector('[role="log"] b')).toBeNull();
  });

  it('counts matches and steps through them with next and previous', async () => {
    const { user } = renderLog(['compile a', 'test A passed', 'test b failed', 'done']);
    await user.type(screen.getByRole('searchbox', { name: 'Search the log' }), 'test');
    expect(screen.getByText('1 of 2 matches')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Next match' }));
    expect(screen.getByText('2 of 2 matches')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Next match' }));
    expect(screen.getByText('1 of 2 matches')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Previous match' }));
    expect(screen.getByText('2 of 2 matches')).toBeTruthy();
    await user.clear(screen.getByRole('searchbox', { name: 'Search the log' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search the log' }), 'nothing');
    expect(screen.getByText('No matches')).toBeTruthy();
  });

  it('search ignores colour codes', async () => {
    const { user } = renderLog([`${ESC}[32mPASS${ESC}[0m suite`, 'other']);
    await user.type(screen.getByRole('searchbox', { name: 'Search the log' }), 'pass suite');
    expect(screen.getByText('1 of 1 matches')).toBeTruthy();
  });

  it('line numbers are permalinks', async () => {
    const { user, onSelectLine } = renderLog(['a', 'b', 'c']);
    const link = screen.getByRole('link', { name: 'Line 2' });
    expect(link.getAttribute('href')).toBe('#L2');
    await user.click(link);
    expect(onSelectLine).toHaveBeenCalledWith(2);
  });

  it('marks the line named in the URL', () => {
    renderLog(['a', 'b', 'c'], { selectedLine: 3 });
    expect(lineRow(3)!.className).toContain('bg-sky-500');
    expect(lineRow(2)!.className).not.toContain('bg-sky-500');
  });

  it('shows the truncation marker as a note', () => {
    renderLog(['x', '[kiln] log truncated: this stage wrote more than 100 MB; later lines were dropped']);
    expect(screen.getByRole('note').textContent).toMatch(/log truncated/);
  });

  it('collapses and expands step groups', async () => {
    const { user } = renderLog(['start', '::group::Install deps', 'npm ci', 'added 12 packages', '::endgroup::', 'after']);
    const header = screen.getByRole('button', { name: /Install deps/ });
    expect(header.textContent).toContain('(2 lines)');
    expect(screen.getByText('npm ci')).toBeTruthy();
    await user.click(header);
    expect(screen.queryByText('npm ci')).toBeNull();
    expect(screen.getByText('after')).toBeTruthy();
    expect(header.getAttribute('aria-expanded')).toBe('false');
  });

  it('only puts the rows on screen in the DOM for a 100k-line log', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `line ${i + 1}`);
    renderLog(lines, { live: true });
    const drawn = document.querySelectorAll('[data-line]').length;
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(200);
    expect(screen.getByText('100,000 lines')).toBeTruthy();
  });

  it("shows each line's time when timestamps are on, and remembers the choice", async () => {
    localStorage.removeItem('kiln.log.timestamps');
    const stamps = ['2026-11-23T16:01:02.345Z', '2026-11-23T16:01:03.000Z'];
    const { user, unmount } = renderLog(['first', 'second'], { stamps });
    expect(document.querySelector('[data-testid="log-stamp"]')).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'Timestamps' }));
    expect(within(lineRow(1)!).getByText('16:01:02.345').getAttribute('datetime')).toBe(stamps[0]);
    expect(within(lineRow(2)!).getByText('16:01:03.000')).toBeTruthy();
    unmount();
    renderLog(['again'], { stamps: ['2026-11-23T17:00:00.000Z'] });
    expect(within(lineRow(1)!).getByText('17:00:00.000')).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('checkbox', { name: 'Timestamps' }));
    expect(document.querySelector('[data-testid="log-stamp"]')).toBeNull();
    expect(localStorage.getItem('kiln.log.timestamps')).toBe('0');
  });

  it('numbers a tail page from where it sits in the whole log and loads earlier lines on request', async () => {
    const onLoadEarlier = vi.fn<() => void>();
    const { user } = renderLog(['line 96', 'line 97', 'line 98', 'line 99', 'line 100'], { offset: 95, onLoadEarlier });
    expect(lineRow(96)!.textContent).toContain('line 96');
    expect(screen.getByRole('link', { name: 'Line 100' }).getAttribute('href')).toBe('#L100');
    expect(lineRow(1)).toBeNull();
    expect(screen.getByText('100 lines')).toBeTruthy();
    expect(screen.getByText('(5 loaded)')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: /95 earlier lines/ }));
    expect(onLoadEarlier).toHaveBeenCalledTimes(1);
  });

  it('keeps the line in view where it was when an earlier page is put in front', () => {
    const tail = Array.from({ length: 200 }, (_, i) => `line ${i + 801}`);
    const onLoadEarlier = vi.fn<() => void>();
    const props = { label: 'Log of Build', live: false, fileName: 'b.log', onLoadEarlier, selectedLine: 850 };
    const { rerender } = render(<LogView lines={tail} offset={800} {...props} />);
    const el = screen.getByTestId('log-scroll');
    el.scrollTop = 300;
    el.dispatchEvent(new Event('scroll'));
    // Near the top: the page before is asked for.
    expect(onLoadEarlier).toHaveBeenCalled();
    const page = Array.from({ length: 100 }, (_, i) => `line ${i + 701}`);
    rerender(<LogView lines={page.concat(tail)} offset={700} {...props} />);
    // Line 817 was at the top of the view (300 px); it still is, 100 rows further down.
    expect(el.scrollTop).toBe(300 + 100 * 18);
    act(() => void el.dispatchEvent(new Event('scroll')));
    // Rows sit in flow in a box moved to the first drawn row: where a row is drawn is the box's
    // offset plus the rows before it (jsdom has no layout to ask).
    const row = lineRow(817)!;
    const box = row.parentElement!;
    const drawnAt = Number(/translateY\((\d+)px\)/.exec(box.style.transform)![1]) + [...box.children].indexOf(row) * 18;
    expect(drawnAt).toBe(116 * 18);
    expect(lineRow(817)!.textContent).toContain('line 817');
  });

  it('follows a live log: each new batch shows its last line', () => {
    const props = { label: 'Log of Build', live: true, fileName: 'b.log' };
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);
    const { rerender } = render(<LogView lines={lines(100)} {...props} />);
    const el = screen.getByTestId('log-scroll');
    // jsdom lays nothing out: the box is as tall as its rows, as in a browser.
    let rows = 100;
    Object.defineProperty(el, 'scrollHeight', { configurable: true, get: () => rows * 18 });
    rows = 1000;
    rerender(<LogView lines={lines(1000)} {...props} />);
    act(() => void el.dispatchEvent(new Event('scroll')));
    expect(lineRow(1000)?.textContent).toContain('line 1000');
    rows = 5000;
    rerender(<LogView lines={lines(5000)} {...props} />);
    act(() => void el.dispatchEvent(new Event('scroll')));
    expect(lineRow(5000)?.textContent).toContain('line 5000');
    // Still following: no button offers to resume it.
    expect(screen.queryByRole('button', { name: /^Follow/ })).toBeNull();
  });

  it('says so when a stage wrote nothing, and while waiting for output', () => {
    const { rerender } = renderLog([]);
    expect(screen.getByText('This stage wrote no output.')).toBeTruthy();
    rerender(<LogView lines={[]} label="Log of Build" live fileName="b.log" />);
    expect(screen.getByText('Waiting for output…')).toBeTruthy();
  });
});

describe('buildRows', () => {
  it('hides a collapsed group and keeps the rest in order', () => {
    const lines = ['a', '::group::G', 'b', '::endgroup::', 'c'];
    expect(buildRows(lines, new Set())?.map((r) => r.index)).toEqual([0, 1, 2, 4]);
    expect(buildRows(lines, new Set([1]))?.map((r) => r.index)).toEqual([0, 1, 4]);
    expect(buildRows(['a', 'b'], new Set())).toBeNull();
  });
});
