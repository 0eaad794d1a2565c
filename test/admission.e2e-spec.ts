import type { ReadingKind, SubmitAck } from '@vigil/contracts';
import { Admission } from '../apps/api/src/modules/events/admission';
import { BUSY_MESSAGE } from '../apps/api/src/modules/events/submission-queue';
import { SHUTDOWN_MESSAGE, ShutdownState } from '../apps/api/src/common/shutdown-state';
import { VigilMetrics } from '../apps/api/src/modules/metrics/vigil-metrics';
import { alertsOf, manual, settle } from './support/clinical';
import { bpPanel, bundle, observation, postFhir } from './support/devices';
import type { TestApp } from './support/test-app';
import { headSeq, setupFhirIngest, storedReadings } from './support/fhir-fixture';
import { connectLive, connected, type LiveClient } from './support/live-client';
import { at, expectGapless, setupLive } from './support/live-fixture';

/**
 * Fills the real admission gate: takes routine tickets, as submissions in flight would, until it
 * refuses one. Returns what gives them back.
 */
function saturate(t: TestApp): () => void {
  const gate = t.app.get(Admission);
  const held: Array<() => void> = [];
  for (let release = gate.admit('routine'); release; release = gate.admit('routine')) {
    held.push(release);
    if (held.length > 100_000) throw new Error('admission never refused');
  }
  return () => held.forEach((release) => release());
}

/**
 * Admission control (issue 15): past what the pipeline can answer within its ack budget, a
 * submission is refused `unavailable` (503 with Retry-After over REST) before any work is done
 * for it, and the phone's outbox sends it again. What was acknowledged is stored exactly once,
 * in a gapless log; help presses are never refused; the server keeps acknowledging afterwards.
 * The backlog floor is lowered to 5 so a burst of a few hundred is certain to pass it.
 */
describe('admission control', () => {
  let live: Awaited<ReturnType<typeof setupLive>>;
  let phone: LiveClient;

  beforeAll(async () => {
    live = await setupLive({
      ADMISSION_MIN_OUTSTANDING: '5',
      SOCKET_RATE_LIMIT_PER_SECOND: '100000',
      SOCKET_RATE_LIMIT_BURST: '100000',
    });
    phone = connectLive(live.t.url, live.tokens.patient);
    await connected(phone);
  });
  afterAll(async () => {
    phone.disconnect();
    await live.t.close();
  });

  const vitals = (clientId: string, value: number) =>
    phone.timeout(30_000).emitWithAck('vitals.submit', {
      sessionId: live.sessionId,
      clientId,
      readings: [{ kind: 'heart_rate', value, measuredAt: at }],
    }) as Promise<SubmitAck>;

  const stored = (): Promise<Array<{ seq: string; client_id: string | null }>> =>
    live.t.dataSource.query(
      `SELECT seq, client_id FROM session_events WHERE session_id = $1 ORDER BY seq`,
      [live.sessionId],
    );

  it('refuses a flood past capacity with unavailable, stores each acknowledged one once, and recovers', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `flood-${i}`);
    const flood = ids.map((id, i) => vitals(id, 60 + (i % 40)));
    // A help press in the middle of the flood is never refused.
    const help = phone
      .timeout(30_000)
      .emitWithAck('help.request', { sessionId: live.sessionId, clientId: 'help-1' });
    // REST submissions meanwhile: refused 503 with Retry-After, or stored.
    const rest = Array.from({ length: 40 }, (_, i) =>
      fetch(`${live.t.url}/api/sessions/${live.sessionId}/vitals`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${live.tokens.patient}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          clientId: `rest-${i}`,
          readings: [{ kind: 'spo2', value: 95, measuredAt: at }],
        }),
      }).then(async (res) => ({
        id: `rest-${i}`,
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        body: (await res.json()) as { message?: string },
      })),
    );
    const acks = await Promise.all(flood);
    const helpAck = (await help) as SubmitAck;
    const restAnswers = await Promise.all(rest);

    expect(helpAck.ok).toBe(true);
    const refused = ids.filter((_, i) => !acks[i].ok);
    for (const ack of acks) if (!ack.ok) expect(ack.error.code).toBe('unavailable');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThan(ids.length);
    for (const r of restAnswers) {
      expect([201, 503]).toContain(r.status);
      if (r.status === 503) {
        expect(r.retryAfter).toBe('1');
        expect(r.body.message).toMatch(/^server busy: nothing was stored/);
      }
    }
    const metrics = await live.t.app.get(VigilMetrics).refusals.get();
    expect(metrics.values.reduce((n, v) => n + v.value, 0)).toBeGreaterThan(0);

    // Stored: exactly what was acknowledged, once each, gapless.
    const ackedIds = new Set([
      ...ids.filter((_, i) => acks[i].ok),
      'help-1',
      ...restAnswers.filter((r) => r.status === 201).map((r) => r.id),
    ]);
    // (The help press also raised an alert: a server event, without a clientId.)
    let rows = await stored();
    const submitted = () => rows.flatMap((r) => (r.client_id === null ? [] : [r.client_id]));
    expect(submitted().sort()).toEqual([...ackedIds].sort());
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    for (const [i, ack] of acks.entries()) {
      if (!ack.ok) continue;
      expect(rows.find((r) => r.client_id === ids[i])?.seq).toBe(String(ack.seq));
    }

    // The phones' outboxes send the refused ones again, one at a time: all are taken now.
    for (const id of refused) {
      const ack = await vitals(id, 61);
      expect(ack).toEqual({ ok: true, seq: expect.any(Number), duplicate: false });
    }
    rows = await stored();
    expect(submitted()).toHaveLength(ackedIds.size + refused.length);
    expect(new Set(submitted()).size).toBe(submitted().length);
    expectGapless(
      rows.map((r) => ({ seq: Number(r.seq) })) as Parameters<typeof expectGapless>[0],
      1,
      rows.length,
    );
  });

  it('past capacity, refuses a normal reading but admits, stores and alerts an SBP 186 or DBP 112 one, over the socket and REST', async () => {
    const release = saturate(live.t);
    try {
      const submit = (clientId: string, kind: ReadingKind, value: number) =>
        phone.timeout(30_000).emitWithAck('vitals.submit', {
          sessionId: live.sessionId,
          clientId,
          readings: [
            { kind: 'heart_rate', value: 72, measuredAt: at },
            { kind, value, measuredAt: at },
          ],
        }) as Promise<SubmitAck>;
      const post = (clientId: string, kind: string, value: number) =>
        fetch(`${live.t.url}/api/sessions/${live.sessionId}/vitals`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${live.tokens.patient}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ clientId, readings: [{ kind, value, measuredAt: at }] }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as object }));

      expect(await submit('sat-normal', 'bp_systolic', 128)).toEqual({
        ok: false,
        error: { code: 'unavailable', message: BUSY_MESSAGE },
      });
      expect(await post('sat-normal-rest', 'bp_diastolic', 84)).toMatchObject({
        status: 503,
        body: { message: BUSY_MESSAGE },
      });

      const socketAck = await submit('sat-sbp', 'bp_systolic', 186);
      expect(socketAck).toEqual({ ok: true, seq: expect.any(Number), duplicate: false });
      const rest = await post('sat-dbp-rest', 'bp_diastolic', 112);
      expect(rest).toMatchObject({ status: 201, body: { duplicate: false } });

      const rows = await stored();
      const mine = rows.filter((r) => r.client_id?.startsWith('sat-')).map((r) => r.client_id);
      expect(mine.sort()).toEqual(['sat-dbp-rest', 'sat-sbp']);
      await settle(live.t);
      const alerts = await alertsOf(live.t.dataSource, live.sessionId);
      // Raised in one engine pass or two: the order of the rows is not the point.
      const bp = alerts.filter((a) => a.condition.endsWith('bp_high'));
      expect(bp.sort((a, b) => a.condition.localeCompare(b.condition))).toEqual([
        expect.objectContaining({ condition: 'dbp_high', priority: 'high', status: 'open' }),
        expect.objectContaining({ condition: 'sbp_high', priority: 'high', status: 'open' }),
      ]);
    } finally {
      release();
    }
  });
});

/**
 * FHIR ingest has the same door as the other submission routes: with the backlog floor at 1 and
 * nothing answered yet, a burst of devices' Observations finds some of them refused 503 with a
 * transient OperationOutcome and Retry-After, nothing stored for those, and each is taken when
 * the device sends it again.
 */
describe('admission control on FHIR ingest', () => {
  let fhir: Awaited<ReturnType<typeof setupFhirIngest>>;

  beforeAll(async () => {
    fhir = await setupFhirIngest({ ADMISSION_MIN_OUTSTANDING: '1' });
  });
  beforeEach(() => manual(fhir.t).set(new Date()));
  afterAll(() => fhir.t.close());

  const post = (body: unknown) =>
    fetch(`${fhir.t.url}/api/fhir/Observation`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fhir.hub.credential}`,
        'content-type': 'application/fhir+json',
      },
      body: JSON.stringify(body),
    }).then(async (res) => ({
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as {
        resourceType: string;
        issue?: Array<{ code: string }>;
      },
    }));

  it('answers a burst past capacity busy (transient, Retry-After), stores none of those, and takes them again', async () => {
    const before = await headSeq(fhir.t, fhir.sessionId);
    const bodies = Array.from({ length: 30 }, (_, i) => observation('8867-4', 60 + i, '/min'));
    const answers = await Promise.all(bodies.map(post));

    const refused = bodies.filter((_, i) => answers[i].status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of answers) {
      expect([201, 503]).toContain(a.status);
      if (a.status !== 503) continue;
      expect(a.retryAfter).toBe('1');
      expect(a.body.resourceType).toBe('OperationOutcome');
      expect(a.body.issue?.map((i) => i.code)).toEqual(['transient']);
    }
    const taken = answers.filter((a) => a.status === 201).length;
    expect(await headSeq(fhir.t, fhir.sessionId)).toBe(before + taken);

    for (const body of refused) expect((await post(body)).status).toBe(201);
    expect(await storedReadings(fhir.t, fhir.sessionId)).toHaveLength(bodies.length);
  });

  it('past capacity, still takes an Observation or a Bundle holding an alert-worthy reading, and raises its alert', async () => {
    const release = saturate(fhir.t);
    try {
      const send = (path: '/api/fhir' | '/api/fhir/Observation', body: unknown) =>
        postFhir(fhir.t.url, fhir.hub.credential, path, body);
      expect((await send('/api/fhir/Observation', bpPanel(128, 84))).status).toBe(503);
      expect((await send('/api/fhir/Observation', bpPanel(186, 95))).status).toBe(201);
      const batch = bundle('batch', [
        observation('8867-4', 72, '/min'),
        observation('59408-5', 89, '%'),
      ]);
      const answer = await send('/api/fhir', batch);
      expect(answer.status).toBe(200);
      expect(
        answer.body.entry.map((e: { response: { status: string } }) => e.response.status),
      ).toEqual(['201 Created', '201 Created']);
      await settle(fhir.t);
      const alerts = await alertsOf(fhir.t.dataSource, fhir.sessionId);
      expect(alerts.find((a) => a.condition === 'sbp_high')).toMatchObject({ priority: 'high' });
    } finally {
      release();
    }
  });
});

/**
 * Once the instance is stopping, a socket submission caught by the closing database pool is
 * answered `unavailable` with the words REST's 503 uses (HttpExceptionFilter), so the phone's
 * outbox sends it again, to another instance, instead of reporting an internal fault.
 */
describe('a socket submission caught by the shutdown', () => {
  let live: Awaited<ReturnType<typeof setupLive>>;
  let phone: LiveClient;

  beforeAll(async () => {
    live = await setupLive();
    phone = connectLive(live.t.url, live.tokens.patient);
    await connected(phone);
  });
  afterAll(async () => {
    phone.disconnect();
    await live.t.close();
  });

  it('is answered unavailable, to be retried, not internal', async () => {
    const submit = (clientId: string) =>
      phone.timeout(30_000).emitWithAck('vitals.submit', {
        sessionId: live.sessionId,
        clientId,
        readings: [{ kind: 'heart_rate', value: 72, measuredAt: at }],
      }) as Promise<SubmitAck>;
    expect(await submit('before')).toMatchObject({ ok: true });
    live.t.app.get(ShutdownState).begin();
    // What app.close() does to the pool under requests still in flight.
    await live.t.dataSource.destroy();
    expect(await submit('during')).toEqual({
      ok: false,
      error: { code: 'unavailable', message: SHUTDOWN_MESSAGE },
    });
  });
});
