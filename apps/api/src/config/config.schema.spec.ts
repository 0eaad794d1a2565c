import { INSECURE_DEMO_SECRET, parseConfig } from './config.schema';

describe('configuration', () => {
  it('defaults to demo mode on port 3000 with the embedded database', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ VIGIL_MODE: 'demo', PORT: 3000 });
    expect(config.DATABASE_URL).toBeUndefined();
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
