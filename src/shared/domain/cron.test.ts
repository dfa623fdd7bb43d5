import { describe, expect, it } from 'vitest';
import { cronMatches, parseCron } from './cron';
import { PipelineDraft } from './pipeline';

const at = (iso: string) => new Date(iso);

describe('cron', () => {
  it('matches steps, ranges and lists as crontab does', () => {
    const every15 = parseCron('*/15 9-17 * * 1-5');
    expect(cronMatches(every15, at('2026-11-23T09:30:00Z'))).toBe(true); // a Monday
    expect(cronMatches(every15, at('2026-11-23T09:31:00Z'))).toBe(false);
    expect(cronMatches(every15, at('2026-11-23T18:00:00Z'))).toBe(false);
    expect(cronMatches(every15, at('2026-11-22T10:00:00Z'))).toBe(false); // Sunday
    expect(cronMatches(parseCron('0 0 * * 7'), at('2026-11-22T00:00:00Z'))).toBe(true); // 7 is Sunday too
  });

  it('fires on either day field when both are restricted (Vixie cron)', () => {
    const firstOrMonday = parseCron('0 6 1 * 1');
    expect(cronMatches(firstOrMonday, at('2026-12-01T06:00:00Z'))).toBe(true); // the 1st, a Tuesday
    expect(cronMatches(firstOrMonday, at('2026-11-23T06:00:00Z'))).toBe(true); // a Monday
    expect(cronMatches(firstOrMonday, at('2026-11-24T06:00:00Z'))).toBe(false);
  });

  it('reads the wall clock of the trigger time zone', () => {
    const nineInBerlin = parseCron('0 9 * * *');
    expect(cronMatches(nineInBerlin, at('2026-11-23T08:00:00Z'), 'Europe/Berlin')).toBe(true); // CET = UTC+1
    expect(cronMatches(nineInBerlin, at('2026-11-23T09:00:00Z'), 'Europe/Berlin')).toBe(false);
  });

  it('says which field is wrong', () => {
    expect(() => parseCron('61 * * * *')).toThrow("minute must be within 0-59, not '61'");
    expect(() => parseCron('* * * *')).toThrow('5 fields');
    expect(() => parseCron('* 5-2 * * *')).toThrow("hour range '5-2' runs backwards");
    expect(() => parseCron('* * * jan *')).toThrow("month 'jan' is not");
  });

  it('is how a pipeline draft validates its cron triggers and time zones', () => {
    const draft = (trigger: object) => PipelineDraft.safeParse({ application: 'web', name: 'Nightly', stages: [], triggers: [trigger] });
    expect(draft({ type: 'cron', expression: '30 2 * * *', timezone: 'Asia/Seoul' }).success).toBe(true);
    expect(draft({ type: 'cron', expression: '30 25 * * *' }).error?.issues[0]?.message).toBe("hour must be within 0-23, not '25'");
    expect(draft({ type: 'cron', expression: '30 2 * * *', timezone: 'Mars/Olympus' }).error?.issues[0]?.path).toEqual(['triggers', 0, 'timezone']);
  });
});
