import { inputClasses } from './auth-card';

/**
 * A write-only secret (API token, access token, first password): masked, kept out of the browser's
 * autofill and spell checker, and always typed fresh: the API never sends a stored secret back, so
 * there is nothing to show in it.
 */
export function SecretInput({
  label,
  value,
  onChange,
  placeholder,
  required = false,
  className = '',
}: {
  label: string;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  placeholder?: string | undefined;
  required?: boolean | undefined;
  className?: string | undefined;
}) {
  return (
    <input
      aria-label={label}
      placeholder={placeholder}
      type="password"
      autoComplete="off"
      spellCheck={false}
      className={`${inputClasses} ${className}`}
      value={value}
      onChange={onChange}
      required={required}
    />
  );
}
