import type { Page } from '@playwright/test';

/** The status badge next to the execution's title on its page. */
export const executionBadge = (page: Page, title: string) => page.getByRole('heading', { level: 1, name: title, exact: true }).locator('xpath=following-sibling::span[1]');

/**
 * A stage in the execution's graph; its accessible name starts "<name>: <STATUS>" and goes on with what
 * the node shows (Chromium puts a space before the colon: the status is visually hidden text).
 */
export const stageNode = (page: Page, name: string) => page.getByRole('list', { name: 'Stages' }).getByRole('button', { name: new RegExp(`^${name} ?: `) });
