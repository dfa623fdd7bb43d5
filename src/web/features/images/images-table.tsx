import { Link } from 'react-router';
import type { ImageSummary } from '../../../shared/domain/image';
import { DataTable, mutedCell, rowLinkClass, type Column } from '../../components/data-table';
import { RelativeTime } from '../../components/relative-time';
import { paths } from '../../lib/paths';
import { formatBytes } from './format-bytes';
import { RevocationBadge } from './revocation-badge';
import { ChannelBadges } from './channel-badges';

const COLUMNS: Array<Column<ImageSummary>> = [
  {
    header: 'Image',
    rowHeader: true,
    cell: (image) => (
      <Link to={paths.image(image.name)} className={rowLinkClass}>
        {image.name}
      </Link>
    ),
  },
  {
    header: 'Newest',
    cell: (image) => (
      <span className="flex items-center gap-2">
        <span className="font-mono text-xs">{image.latest.version}</span>
        <RevocationBadge image={image.latest} />
      </span>
    ),
  },
  { header: 'Channels', cell: (image) => <ChannelBadges channels={Object.entries(image.channels).map(([c, v]) => `${c}→${v}`)} /> },
  { header: 'Builder', className: mutedCell, cell: (image) => image.latest.format },
  { header: 'Versions', numeric: true, cell: (image) => image.versions },
  { header: 'Size', numeric: true, cell: (image) => formatBytes(image.latest.sizeBytes) },
  { header: 'Baked', className: mutedCell, cell: (image) => <RelativeTime iso={image.latest.createdAt} /> },
];

export function ImagesTable({ images }: { images: readonly ImageSummary[] }) {
  return <DataTable caption="Images" columns={COLUMNS} rows={images} rowKey={(i) => i.name} />;
}
