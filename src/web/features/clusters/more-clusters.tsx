import { useEffect, useEffectEvent, useRef } from 'react';
import { Button } from '../../components/button';
import { plural } from '../../lib/format';

interface MoreClustersProps {
  /** Clusters not rendered yet. */
  hidden: number;
  /** Clusters rendered: a new observer per step re-checks whether the end is still in sight. */
  shown: number;
  onMore: () => void;
}

/**
 * The end of what is rendered: more clusters come in as it nears the viewport, and the button does
 * the same for keyboard and screen-reader users (and where IntersectionObserver is missing).
 */
export function MoreClusters({ hidden, shown, onMore }: MoreClustersProps) {
  const ref = useRef<HTMLDivElement>(null);
  const more = useEffectEvent(onMore);
  useEffect(() => {
    const node = ref.current;
    if (!node || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && more(), { rootMargin: '800px 0px' });
    observer.observe(node);
    return () => observer.disconnect();
  }, [shown]);
  return (
    <div ref={ref} className="flex items-center justify-center py-2">
      <Button onClick={onMore}>Show more ({plural(hidden, 'cluster')} not shown yet)</Button>
    </div>
  );
}
