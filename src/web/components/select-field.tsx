import { useId } from 'react';

interface SelectFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The first option, meaning "no filter"; its value is ''. */
  allLabel: string;
  options: readonly string[];
}

export function SelectField({ label, value, onChange, allLabel, options }: SelectFieldProps) {
  const id = useId();
  // A value from a shared URL may no longer exist; keep it visible rather than silently showing "all".
  const shown = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <div className="flex items-center gap-1.5">
      <label htmlFor={id} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={`h-8 rounded-md border bg-white pr-7 pl-2 text-sm text-zinc-900 shadow-xs focus:border-orange-500 focus:outline-2 focus:outline-orange-500/30 dark:bg-zinc-900 dark:text-zinc-100 ${
          value ? 'border-orange-400 dark:border-orange-500/70' : 'border-zinc-300 dark:border-zinc-700'
        }`}
      >
        <option value="">{allLabel}</option>
        {shown.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}
