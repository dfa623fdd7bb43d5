import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('readConfig', () => {
  it('defaults to 127.0.0.1:8080 with the embedded database in ./.kiln', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, databaseUrl: undefined, seedDemo: true });
    expect(config.dataDir.endsWith('/.kiln')).toBe(true);
  });

  it('reads PORT, KILN_DATA and DATABASE_URL', () => {
    const config = readConfig({ PORT: '9090', KILN_DATA: '/tmp/k', DATABASE_URL: 'postgres://u@h/db' });
    expect(config).toMatchObject({ port: 9090, dataDir: '/tmp/k', databaseUrl: 'postgres://u@h/db' });
  });

  it('names the variable when a value is wrong', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readConfig({ PORT: '70000' })).toThrow(ConfigError);
    expect(() => readConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => readConfig({ KILN_DEMO: 'yes' })).toThrow(/KILN_DEMO/);
    expect(() => readConfig({ KILN_DASHBOARD: 'maybe' })).toThrow(/KILN_DASHBOARD/);
    expect(readConfig({ KILN_DASHBOARD: 'off' }).dashboard).toBe(false);
  });
});
