/** Kiln's mark (a kiln with its flame); decorative: the text beside it names it. */
export function KilnLogo({ className = 'size-5' }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className={className}>
      <path d="M3 18V9a7 7 0 0 1 14 0v9z" className="fill-zinc-900 dark:fill-zinc-100" />
      <path d="M10 17c-2 0-3-1.3-3-2.8 0-1.7 1.6-2.5 2-4.7 1.7 1 4 3 4 4.9 0 1.5-1 2.6-3 2.6Z" className="fill-orange-500" />
    </svg>
  );
}
