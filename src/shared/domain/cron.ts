/**
 * Five-field cron (minute hour day-of-month month day-of-week) as crontab(5) reads it: `*`, `n`,
 * `n-m`, `/step` and comma lists; Sunday is 0 or 7; when both day fields are restricted a day
 * matching either one fires (the classic Vixie rule). Pure, so the editor validates as the engine runs.
 */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`${field.name} '${part}' is not *, n, n-m or a /step of them`);
    const from = m[1] === '*' ? field.min : Number(m[2]);
    const to = m[1] === '*' ? field.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? field.max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < field.min || to > field.max) throw new Error(`${field.name} must be within ${field.min}-${field.max}, not '${part}'`);
    if (from > to) throw new Error(`${field.name} range '${part}' runs backwards`);
    if (step < 1) throw new Error(`${field.name} step must be at least 1`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error('cron expression must have 5 fields (minute hour day month weekday)');
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i]!));
  if (weekdays!.has(7)) weekdays!.add(0);
  return {
    minutes: minutes!,
    hours: hours!,
    days: days!,
    months: months!,
    weekdays: weekdays!,
    dayRestricted: parts[2] !== '*',
    weekdayRestricted: parts[4] !== '*',
  };
}

const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall-clock fields of an instant in a time zone (throws RangeError for an unknown zone). */
function fieldsIn(date: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    minute: 'numeric',
    hour: 'numeric',
    day: 'numeric',
    month: 'numeric',
    weekday: 'short',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { minute: Number(get('minute')), hour: Number(get('hour')), day: Number(get('day')), month: Number(get('month')), weekday: WEEKDAY[get('weekday')] ?? -1 };
}

/** Whether the schedule fires in the minute that contains `date`, read in `timeZone`. */
export function cronMatches(schedule: CronSchedule, date: Date, timeZone = 'UTC'): boolean {
  const f = fieldsIn(date, timeZone);
  if (!schedule.minutes.has(f.minute) || !schedule.hours.has(f.hour) || !schedule.months.has(f.month)) return false;
  const day = schedule.days.has(f.day);
  const weekday = schedule.weekdays.has(f.weekday);
  if (schedule.dayRestricted && schedule.weekdayRestricted) return day || weekday;
  return day && weekday;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
