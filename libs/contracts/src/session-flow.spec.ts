import { doseSubmissionSchema } from './session-flow';

describe('doseSubmissionSchema', () => {
  const dose = { clientId: 'dose-1', doseMg: 100, route: 'oral', takenAt: '2026-12-01T10:00:00Z' };

  it('accepts a dose taken at a real date-time', () => {
    expect(doseSubmissionSchema.safeParse(dose).success).toBe(true);
  });

  it('refuses a year-0000 takenAt by name, which PostgreSQL cannot store (a 500 before)', () => {
    const parsed = doseSubmissionSchema.safeParse({ ...dose, takenAt: '0000-01-01T00:00:00Z' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['takenAt'],
      message: 'must be a date-time from year 0001 on',
    });
  });
});
