import type { ReactNode } from 'react';
import { KilnLogo } from './kiln-logo';

/** The centered card of the sign-in and setup pages (no navigation: nothing else is open yet). */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle: ReactNode; children: ReactNode }) {
  return (
    <div className="flex min-h-screen items-center justify-center bg-zinc-50 px-4 dark:bg-zinc-950">
      <main className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mb-5 flex items-center gap-2">
          <KilnLogo className="size-6" />
          <span className="text-lg font-semibold tracking-tight text-zinc-900 dark:text-zinc-100">Kiln</span>
        </div>
        <h1 className="text-base font-semibold text-zinc-900 dark:text-zinc-100">{title}</h1>
        <p className="mt-1 mb-4 text-sm text-zinc-600 dark:text-zinc-400">{subtitle}</p>
        {children}
      </main>
    </div>
  );
}

/** A labelled input; the hint sits outside the label so the field's name stays just the label. */
export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <div className="flex flex-col gap-1">
      <label className="flex flex-col gap-1 text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
        {children}
      </label>
      {hint && <span className="text-xs text-zinc-500 dark:text-zinc-400">{hint}</span>}
    </div>
  );
}

export const inputClasses =
  'h-9 rounded-md border border-zinc-300 bg-white px-2.5 text-sm font-normal text-zinc-900 outline-none focus:border-orange-500 focus:ring-2 focus:ring-orange-500/30 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100';

export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
      {message}
    </p>
  );
}
