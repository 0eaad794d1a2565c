import type { SubmitAck } from '@vigil/contracts';
import { VigilMetrics } from '../apps/api/src/modules/metrics/vigil-metrics';
import { connectLive, connected, type LiveClient } from './support/live-client';
import { at, expectGapless, setupLive } from './support/live-fixture';

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
});
