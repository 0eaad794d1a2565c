/**
 * The phone's outbox (libs/outbox, the transport the patient's phone uses) against the real
 * server, on a phone whose clock runs 2 minutes fast (a hand-set clock, a phone without network
 * time). Found by a review: the check-in and the BP the support person entered were refused for
 * good (400 naming takenAt / measuredAt, final to the outbox) and never reached the care team,
 * a MOAA/S 1 with them (a missed high alert). v1.12 takes a phone's times up to a day ahead.
 */
import { createOutboxTransport, MemoryOutboxStore, Outbox } from '@vigil/outbox';
import { apiErrorInWords } from '../apps/dashboard/src/shared/api-error-words';
import { openAlertWard, type AlertWard } from './support/alert-ward';
import { http } from './support/factories';
import { alertsOf, eventsOf, manual, MINUTE, settle } from './support/clinical';
import type { TestApp } from './support/test-app';

describe('a phone whose clock runs 2 minutes fast', () => {
  let t: TestApp;
  let token: AlertWard['token'];
  let liveSession: AlertWard['liveSession'];
  let patientId: string;

  beforeAll(async () => {
    let ward: AlertWard;
    ({ t, token, liveSession } = ward = await openAlertWard());
    patientId = ward.patient.id;
  });
  afterAll(() => t.close());

  /** The patient's phone: the real outbox and transport, REST only (the socket is down). */
  function phone(isOnline = () => true) {
    const phoneNow = () => manual(t).now().getTime() + 2 * MINUTE;
    const transport = createOutboxTransport({
      submit: () => Promise.reject(new Error('socket down')),
      // As api.ts: an HTTP error rejects with its status and the words the phone shows.
      post: async (path, body) => {
        const r = await http(t.url, 'POST', path, { token: token.patient, body });
        if (r.status >= 400) {
          const server = (r.body as { message?: string } | null)?.message ?? null;
          throw Object.assign(new Error(apiErrorInWords(r.status, server)), { status: r.status });
        }
        return r.body as Record<string, unknown>;
      },
      now: phoneNow,
    });
    const outbox = new Outbox({
      store: new MemoryOutboxStore(),
      transport,
      now: phoneNow,
      isOnline,
      setTimer: () => null,
      clearTimer: () => undefined,
    });
    return { outbox, phoneNow };
  }

  it('a MOAA/S 1 check-in reaches the care team (stored, moaas_low raised), not "refused for good"', async () => {
    const id = await liveSession();
    const { outbox, phoneNow } = phone();
    await outbox.open(patientId);
    manual(t).advance(10 * MINUTE);
    // What CheckInForm enqueues: takenAt by the phone's clock.
    await outbox.enqueue({
      sessionId: id,
      kind: 'checkin',
      body: { moaas: 1, takenAt: new Date(phoneNow()).toISOString() },
    });
    await outbox.flush();
    await settle(t);
    const item = outbox.getItems()[0];
    const stored = await eventsOf(t.dataSource, id, 'checkin.recorded');
    const alerts = (await alertsOf(t.dataSource, id)).filter((a) => a.condition === 'moaas_low');
    expect({ status: item.status, lastError: item.lastError, stored: stored.length }).toEqual({
      status: 'delivered',
      lastError: undefined,
      stored: 1,
    });
    expect(alerts).toMatchObject([{ priority: 'high' }]);
  });

  it('a blood pressure typed on the phone reaches the care team', async () => {
    const id = await liveSession();
    const { outbox, phoneNow } = phone();
    await outbox.open(patientId);
    manual(t).advance(40 * MINUTE);
    const measuredAt = new Date(phoneNow()).toISOString();
    // What BpForm enqueues.
    await outbox.enqueue({
      sessionId: id,
      kind: 'vitals',
      body: {
        readings: [
          { kind: 'bp_systolic', value: 186, measuredAt },
          { kind: 'bp_diastolic', value: 95, measuredAt },
        ],
      },
    });
    await outbox.flush();
    await settle(t);
    const item = outbox.getItems()[0];
    const stored = await eventsOf(t.dataSource, id, 'vitals.recorded');
    expect({ status: item.status, lastError: item.lastError, stored: stored.length }).toEqual({
      status: 'delivered',
      lastError: undefined,
      stored: 1,
    });
  });

  // v1.14: the outbox stamps each attempt with sentAt, by the same clock as the measuredAt, so
  // the server learns the wait whatever that clock says (2 min fast here).
  it('a resp. rate typed in a tunnel and sent 30 min later is stored with its 30 min wait', async () => {
    const id = await liveSession();
    let online = false;
    const { outbox, phoneNow } = phone(() => online);
    await outbox.open(patientId);
    const measuredAt = new Date(phoneNow()).toISOString();
    await outbox.enqueue({
      sessionId: id,
      kind: 'vitals',
      body: { readings: [{ kind: 'resp_rate', value: 28, measuredAt, source: 'manual' }] },
    });
    manual(t).advance(30 * MINUTE);
    online = true;
    await outbox.flush();
    const item = outbox.getItems()[0];
    expect({ status: item.status, lastError: item.lastError }).toEqual({
      status: 'delivered',
      lastError: undefined,
    });
    const stored = await eventsOf(t.dataSource, id, 'vitals.recorded');
    expect(stored.map((e) => e.data.readings)).toEqual([
      [{ kind: 'resp_rate', value: 28, measuredAt, source: 'manual', waitedMs: 30 * MINUTE }],
    ]);
  });
});
