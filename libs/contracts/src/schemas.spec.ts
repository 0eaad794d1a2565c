import { checkInSubmissionSchema, describeIssues, vitalsSubmissionSchema } from './schemas';

function messageFor(
  schema: { safeParse(v: unknown): { success: boolean; error?: unknown } },
  body: unknown,
) {
  const result = schema.safeParse(body);
  if (result.success) return null;
  return describeIssues(result.error as never);
}

describe('submission schemas', () => {
  it('names the reading whose value is outside the plausible range', () => {
    const msg = messageFor(vitalsSubmissionSchema, {
      clientId: 'a1',
      readings: [
        { kind: 'spo2', value: 97, measuredAt: '2026-01-01T10:00:00Z' },
        { kind: 'heart_rate', value: 251, measuredAt: '2026-01-01T10:00:00Z' },
      ],
    });
    expect(msg).toBe(
      'readings[1].value: heart_rate 251 is outside the plausible range 20-250 /min',
    );
  });

  it.each([
    ['heart_rate', 20, true],
    ['heart_rate', 19, false],
    ['bp_systolic', 300, true],
    ['bp_systolic', 301, false],
    ['bp_diastolic', 20, true],
    ['spo2', 100, true],
    ['spo2', 100.5, false],
    ['resp_rate', 2, true],
    ['resp_rate', 1, false],
    ['temperature', 45, true],
    ['temperature', 29.9, false],
  ])('%s %d accepted: %s', (kind, value, ok) => {
    const result = vitalsSubmissionSchema.safeParse({
      clientId: 'x',
      readings: [{ kind, value, measuredAt: '2026-01-01T10:00:00Z' }],
    });
    expect(result.success).toBe(ok);
  });

  it('refuses a check-in with nothing but a client id', () => {
    expect(messageFor(checkInSubmissionSchema, { clientId: 'c1' })).toMatch(
      /^body: must contain at least one of moaas/,
    );
  });

  it('refuses unknown fields by name', () => {
    expect(messageFor(checkInSubmissionSchema, { clientId: 'c1', moaas: 5, mood: 3 })).toBe(
      'mood: unknown field',
    );
  });

  it('names an out-of-range score', () => {
    expect(messageFor(checkInSubmissionSchema, { clientId: 'c1', moaas: 6 })).toBe(
      'moaas: must be at most 5',
    );
  });

  it('names an unknown symptom code by its index', () => {
    expect(
      messageFor(checkInSubmissionSchema, { clientId: 'c1', symptoms: ['chest_pain', 'itch'] }),
    ).toMatch(/^symptoms\[1\]: must be one of chest_pain/);
  });
});
