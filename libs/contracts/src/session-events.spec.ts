import { eventsOf, parseSessionEvent, withOutboxWaits, type SessionEvent } from './session-events';

const envelope = { sessionId: 's1', seq: 3, at: '2026-11-26T10:00:00.000Z', actorId: null };

describe('session events parsed at the boundary', () => {
  it('types the data of each event type and keeps fields it does not name', () => {
    const parsed = parseSessionEvent({
      ...envelope,
      type: 'vitals.recorded',
      data: {
        readings: [{ kind: 'spo2', value: 95, measuredAt: envelope.at }],
        extra: 'kept',
      },
    });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.event.type).toBe('vitals.recorded');
    if (parsed.event.type !== 'vitals.recorded') return;
    expect(parsed.event.data.readings[0].kind).toBe('spo2');
    expect((parsed.event.data as Record<string, unknown>).extra).toBe('kept');
  });

  it('names the seq, the type and the field that does not fit', () => {
    const parsed = parseSessionEvent({
      ...envelope,
      type: 'alert.raised',
      data: { alertId: 'a1', priority: 'urgent', condition: 'spo2_low', message: 'SpO2 88' },
    });
    expect(parsed).toEqual({
      ok: false,
      error: expect.stringMatching(/^seq 3: alert\.raised data\.priority: /),
    });
  });

  it('refuses a type it does not know, including names on Object.prototype', () => {
    for (const type of ['vitals.deleted', 'constructor', 'toString']) {
      const parsed = parseSessionEvent({ ...envelope, type, data: {} });
      expect(parsed).toEqual({ ok: false, error: `session event: unknown type ${type}` });
    }
  });

  it('refuses an envelope without a seq', () => {
    expect(parseSessionEvent({ ...envelope, seq: 'x', type: 'help.requested', data: {} }).ok).toBe(
      false,
    );
  });

  it('eventsOf picks one type, typed', () => {
    const events = [
      { ...envelope, seq: 1, type: 'help.requested', data: {} },
      { ...envelope, seq: 2, type: 'note.added', data: { text: 'ok' } },
    ] as SessionEvent[];
    expect(eventsOf(events, 'note.added').map((e) => e.data.text)).toEqual(['ok']);
  });
});

describe('readings that waited on the phone (v1.14)', () => {
  const at = (m: number) => `2026-12-07T10:${String(m).padStart(2, '0')}:00.000Z`;
  const readings = [
    { kind: 'resp_rate', value: 28, measuredAt: at(0) },
    { kind: 'spo2', value: 97, measuredAt: at(25) },
    // Measured after the send by the phone's clock: set back while it waited, no wait known.
    { kind: 'heart_rate', value: 80, measuredAt: at(40) },
  ];

  it('stores sentAt - measuredAt on each reading, never negative', () => {
    expect(withOutboxWaits(readings, at(30)).map((r) => r.waitedMs)).toEqual([
      30 * 60_000,
      5 * 60_000,
      0,
    ]);
  });

  it('leaves the readings as they came without a sentAt', () => {
    expect(withOutboxWaits(readings, undefined)).toEqual(readings);
  });
});
