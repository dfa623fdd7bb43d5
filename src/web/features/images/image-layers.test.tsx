import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ImageLayers } from './image-layers';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe("an image version's layers", () => {
  it('lists each layer with what made it and its size, base first', async () => {
    render(
      <ImageLayers
        layers={[
          { digest: digest('a'), sizeBytes: 31_457_280, createdBy: 'kiln bakery: base, artifact, provisioners and provisioning' },
          { digest: digest('b'), sizeBytes: 1948, createdBy: 'COPY --from=build /src/dist /app' },
        ]}
      />,
    );
    await userEvent.click(screen.getByText('2 layers'));
    const items = within(screen.getByRole('list', { name: 'Layers' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual(['kiln bakery: base, artifact, provisioners and provisioning · 30 MiB', 'COPY --from=build /src/dist /app · 1.9 KiB']);
    expect(items[1]!.getAttribute('title')).toBe(digest('b'));
  });

  it('shows nothing for images without layers (bundles and disks)', () => {
    const { container } = render(<ImageLayers layers={undefined} />);
    expect(container.textContent).toBe('');
  });
});
