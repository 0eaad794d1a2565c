import { INSECURE_DEMO_SECRET, parseConfig } from './config.schema';

describe('configuration', () => {
  it('runs demo mode on port 3000 with the embedded database when asked for', () => {
    const config = parseConfig({ VIGIL_MODE: 'demo' });
    expect(config).toMatchObject({ VIGIL_MODE: 'demo', PORT: 3000 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('never falls into demo mode: unset VIGIL_MODE means production rules', () => {
    expect(() => parseConfig({})).toThrow(/DATABASE_URL: is required when VIGIL_MODE is unset/);
    expect(() => parseConfig({ DATABASE_URL: 'postgres://db/vigil' })).toThrow(
      /JWT_SECRET: must be set .* when VIGIL_MODE is unset/,
    );
    const config = parseConfig({ DATABASE_URL: 'postgres://db/vigil', JWT_SECRET: 'k'.repeat(40) });
    expect(config.VIGIL_MODE).toBe('production');
  });

  it('refuses production mode without a database URL', () => {
    expect(() => parseConfig({ VIGIL_MODE: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /DATABASE_URL: is required/,
    );
  });

  it.each([undefined, INSECURE_DEMO_SECRET, 'short-but-16-chars'])(
    'refuses production mode with the secret %s',
    (secret) => {
      expect(() =>
        parseConfig({
          VIGIL_MODE: 'production',
          DATABASE_URL: 'postgres://db/vigil',
          JWT_SECRET: secret,
        }),
      ).toThrow(/JWT_SECRET/);
    },
  );

  it('names the variable that is wrong', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ VIGIL_MODE: 'staging' })).toThrow(/VIGIL_MODE/);
  });
});
