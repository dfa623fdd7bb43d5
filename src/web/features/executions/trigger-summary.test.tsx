import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TriggerRecord } from '../../../shared/domain/execution';
import { TriggerSummary } from './trigger-summary';

describe('TriggerSummary', () => {
  it('says which versions a registry trigger skipped for the newest one it started', () => {
    const trigger = TriggerRecord.parse({ type: 'registry', user: 'erin', image: 'shop', version: 'v9', skippedVersions: ['v8', 'v7'], skippedCount: 5 });
    const { container } = render(<TriggerSummary trigger={trigger} />);
    expect(container.textContent).toBe('Registry trigger, runs as erin (shop:v9; skipped v8, v7 and 3 more)');
  });

  it('adds nothing to a run that skipped nothing', () => {
    const { container } = render(<TriggerSummary trigger={TriggerRecord.parse({ type: 'registry', user: 'erin', image: 'shop', version: 'v1' })} />);
    expect(container.textContent).toBe('Registry trigger, runs as erin');
  });
});
