import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { Trigger } from '../../../../shared/domain/pipeline';
import { RegistryTriggerFields } from './registry-trigger-fields';

type RegistryTrigger = Extract<Trigger, { type: 'registry' }>;

function Editing({ seen }: { seen: RegistryTrigger[] }) {
  const [trigger, setTrigger] = useState<RegistryTrigger>({ type: 'registry', enabled: true, image: '', channel: 'latest' });
  return (
    <RegistryTriggerFields
      trigger={trigger}
      onChange={(next) => {
        seen.push(next);
        setTrigger(next);
      }}
    />
  );
}

describe('registry trigger fields', () => {
  it('sets the image, the channel and a version pattern, and clearing the pattern removes it', async () => {
    const seen: RegistryTrigger[] = [];
    render(<Editing seen={seen} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Image'), 'shop');
    await user.clear(screen.getByLabelText(/^Channel/));
    await user.type(screen.getByLabelText(/^Channel/), 'production');
    await user.type(screen.getByLabelText(/^Versions matching/), 'v1.*');
    expect(seen.at(-1)).toEqual({ type: 'registry', enabled: true, image: 'shop', channel: 'production', versionRegex: 'v1.*' });
    await user.clear(screen.getByLabelText(/^Versions matching/));
    expect(seen.at(-1)).not.toHaveProperty('versionRegex');
  });
});
