import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CLIENT_ID, parseConfig } from './config.js';

const cwd = '/srv/psabridge';

function problemsOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    parseConfig(env, cwd);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = parseConfig({}, cwd);
    expect(config).toEqual({
      dataDir: '/srv/psabridge/data',
      database: { kind: 'sqlite', sqlitePath: '/srv/psabridge/data/psabridge.db' },
      host: '127.0.0.1',
      port: 8080,
      masterKey: undefined,
      masterKeyFile: '/srv/psabridge/data/master.key',
      clientId: DEFAULT_CLIENT_ID,
      logLevel: 'info',
      secureCookies: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('chooses PostgreSQL for a postgres URL and keeps SQLite otherwise', () => {
    const url = 'postgres://app:app@db.internal:5432/psabridge';
    expect(parseConfig({ DATABASE_URL: url }, cwd).database).toEqual({ kind: 'postgres', url });
    expect(parseConfig({ DATABASE_URL: 'sqlite:var/x.db' }, cwd).database).toEqual({
      kind: 'sqlite',
      sqlitePath: path.resolve(cwd, 'var/x.db'),
    });
    expect(parseConfig({ DATABASE_URL: 'sqlite:///tmp/y.db' }, cwd).database).toEqual({
      kind: 'sqlite',
      sqlitePath: '/tmp/y.db',
    });
  });

  it('reads every variable it documents', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = parseConfig(
      {
        PSABRIDGE_DATA_DIR: '/var/lib/psabridge',
        PSABRIDGE_HOST: '0.0.0.0',
        PSABRIDGE_PORT: '9090',
        PSABRIDGE_MASTER_KEY: key,
        PSABRIDGE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
        LOG_LEVEL: 'DEBUG',
      },
      cwd,
    );
    expect(config.dataDir).toBe('/var/lib/psabridge');
    expect(config.port).toBe(9090);
    expect(Buffer.from(config.masterKey ?? []).equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.clientId).toBe('11111111-2222-3333-4444-555555555555');
    expect(config.logLevel).toBe('debug');
    expect(config.secureCookies).toBe(true);
  });

  it('lets PSABRIDGE_SECURE_COOKIES override the loopback default', () => {
    expect(parseConfig({ PSABRIDGE_SECURE_COOKIES: 'true' }, cwd).secureCookies).toBe(true);
    expect(
      parseConfig({ PSABRIDGE_HOST: '10.0.0.5', PSABRIDGE_SECURE_COOKIES: '0' }, cwd).secureCookies,
    ).toBe(false);
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ PSABRIDGE_PORT: '', DATABASE_URL: ' ' }, cwd).port).toBe(8080);
  });

  it('lists every bad variable with what it should be', () => {
    const problems = problemsOf({
      PSABRIDGE_PORT: '80a',
      DATABASE_URL: 'mysql://x',
      PSABRIDGE_MASTER_KEY: 'c2hvcnQ=',
      PSABRIDGE_CLIENT_ID: 'not-a-guid',
      LOG_LEVEL: 'loud',
      PSABRIDGE_SECURE_COOKIES: 'maybe',
    });
    expect(problems.map((p) => p.variable).sort()).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'PSABRIDGE_CLIENT_ID',
      'PSABRIDGE_MASTER_KEY',
      'PSABRIDGE_PORT',
      'PSABRIDGE_SECURE_COOKIES',
    ]);
    expect(problems.find((p) => p.variable === 'PSABRIDGE_MASTER_KEY')?.message).toMatch(
      /32 random bytes in base64/,
    );
  });

  it('rejects a port above 65535', () => {
    expect(problemsOf({ PSABRIDGE_PORT: '70000' })).toEqual([
      { variable: 'PSABRIDGE_PORT', message: 'should be a port number between 0 and 65535' },
    ]);
  });
});
