import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type Page } from '@playwright/test';

// @axe-core/playwright needs Node 22; the engine itself is plain browser JavaScript, injected here.
// Through the DevTools protocol, not a <script> tag: Kiln's Content-Security-Policy rightly refuses
// inline scripts, and the check must run against the page as users get it.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Every axe violation on the page as it is now (WCAG 2.x A/AA and best practices). */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeRun> } }).axe;
    interface AxeRun {
      violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[]; html: string; any: Array<{ data?: unknown }> }> }>;
    }
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      // Contrast findings carry the colours and ratio: what to change, without opening a trace.
      nodes: v.nodes.map((n) => {
        const c = n.any[0]?.data as { fgColor?: string; bgColor?: string; contrastRatio?: number; expectedContrastRatio?: string } | undefined;
        const colours = c?.fgColor ? ` [${c.fgColor} on ${c.bgColor}: ${c.contrastRatio}, needs ${c.expectedContrastRatio}]` : '';
        return `${n.target.join(' ')}${colours}  ${n.html.slice(0, 160)}`;
      }),
    }));
  });
}

/** Serious and critical findings: what keeps someone from using the page. */
export const blocking = (findings: AxeFinding[]) => findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');

const count = (findings: AxeFinding[]) => findings.reduce((n, f) => n + f.nodes.length, 0);

/** Asserts (softly: the journey goes on to the next page) no serious or critical finding, printing the counts. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const findings = await axeFindings(page);
  const serious = blocking(findings);
  const byRule = serious.map((f) => `${f.id} ×${f.nodes.length}`).join(', ');
  console.log(`axe ${label}: ${count(serious)} serious/critical, ${count(findings) - count(serious)} other${byRule ? ` (${byRule})` : ''}`);
  const detail = serious.map((f) => `${f.id} (${f.impact}): ${f.help}\n    ${f.nodes.join('\n    ')}`).join('\n');
  expect.soft(serious, `${label}:\n${detail}`).toEqual([]);
}
