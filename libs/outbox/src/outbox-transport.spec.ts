import type { SubmitAck } from '@vigil/contracts';
import { createOutboxTransport, type TransportDeps } from './outbox-transport';
import type { OutboxItem } from './outbox-types';

const item = (kind: OutboxItem['kind'], body: Record<string, unknown> = { moaas: 5 }) =>
  ({ clientId: `${kind}-1`, userId: 'u', sessionId: 's1', kind, body }) as OutboxItem;

const httpError = (status: number, message: string) =>
  Object.assign(new Error(message), { status });

function deps(over: Partial<TransportDeps> = {}) {
  const calls: string[] = [];
  const d: TransportDeps = {
    submit: jest.fn((event: string, payload: Record<string, unknown>) => {
      calls.push(`socket ${event} ${String(payload.clientId)}`);
      return Promise.resolve<SubmitAck>({ ok: true, seq: 4, duplicate: false });
    }),
    post: jest.fn((path: string, body: Record<string, unknown>) => {
      calls.push(`POST ${path} ${String(body.clientId)}`);
      return Promise.resolve({ seq: 5, duplicate: true });
    }),
    ...over,
  };
  return { d, calls };
}

describe('outbox transport', () => {
  it('sends a check-in over the socket with its clientId and session', async () => {
    const { d, calls } = deps();
    await expect(createOutboxTransport(d).send(item('checkin'))).resolves.toEqual({
      kind: 'delivered',
      seq: 4,
      duplicate: false,
    });
    expect(calls).toEqual(['socket checkin.submit checkin-1']);
    expect(d.submit).toHaveBeenCalledWith('checkin.submit', {
      sessionId: 's1',
      clientId: 'checkin-1',
      moaas: 5,
    });
  });

  it('stamps each attempt of a check-in with its own sentAt, beside the takenAt it was made with', async () => {
    let clock = Date.parse('2026-12-07T10:10:00Z');
    const { d } = deps({ submit: () => Promise.reject(new Error('offline')), now: () => clock });
    const transport = createOutboxTransport(d);
    const checkIn = item('checkin', { moaas: 5, takenAt: '2026-12-07T10:00:00.000Z' });
    await transport.send(checkIn);
    clock += 60_000;
    await transport.send(checkIn);
    expect(d.post).toHaveBeenNthCalledWith(1, '/api/sessions/s1/check-ins', {
      clientId: 'checkin-1',
      moaas: 5,
      takenAt: '2026-12-07T10:00:00.000Z',
      sentAt: '2026-12-07T10:10:00.000Z',
    });
    expect(d.post).toHaveBeenNthCalledWith(2, '/api/sessions/s1/check-ins', {
      clientId: 'checkin-1',
      moaas: 5,
      takenAt: '2026-12-07T10:00:00.000Z',
      sentAt: '2026-12-07T10:11:00.000Z',
    });
    // Only a check-in: a dose's takenAt is the time typed, and its schema takes nothing else.
    await transport.send(item('dose', { doseMg: 100, takenAt: '2026-12-07T09:00:00.000Z' }));
    expect(d.post).toHaveBeenLastCalledWith('/api/sessions/s1/dose', {
      clientId: 'dose-1',
      doseMg: 100,
      takenAt: '2026-12-07T09:00:00.000Z',
    });
  });

  it('sends a check-in again without sentAt to a server that refuses it (before v1.10, or a clock far ahead)', async () => {
    const refusing = (body: Record<string, unknown>) =>
      'sentAt' in body
        ? Promise.reject(httpError(400, 'sentAt: unknown field'))
        : Promise.resolve({ seq: 7, duplicate: false });
    const { d } = deps({
      submit: () =>
        Promise.resolve<SubmitAck>({
          ok: false,
          error: { code: 'invalid', message: 'sentAt: unknown field' },
        }),
      post: jest.fn((_path: string, body: Record<string, unknown>) => refusing(body)),
    });
    const checkIn = item('checkin', { moaas: 5, takenAt: '2026-12-07T10:00:00.000Z' });
    await expect(createOutboxTransport(d).send(checkIn)).resolves.toMatchObject({
      kind: 'delivered',
      seq: 7,
    });
    expect(d.post).toHaveBeenLastCalledWith('/api/sessions/s1/check-ins', {
      clientId: 'checkin-1',
      moaas: 5,
      takenAt: '2026-12-07T10:00:00.000Z',
    });
    // Any other refusal stays final.
    const other = deps({ post: () => Promise.reject(httpError(400, 'moaas: must be at most 5')) });
    other.d.submit = () => Promise.reject(new Error('offline'));
    await expect(createOutboxTransport(other.d).send(checkIn)).resolves.toMatchObject({
      kind: 'rejected',
    });
  });

  const readings = [
    { kind: 'resp_rate', value: 28, measuredAt: '2026-12-07T10:00:00.000Z', source: 'manual' },
  ];

  it('stamps each attempt of readings with its own sentAt, beside the measuredAt they carry (v1.14)', async () => {
    let clock = Date.parse('2026-12-07T10:30:00Z');
    const { d } = deps({ now: () => clock });
    const transport = createOutboxTransport(d);
    await transport.send(item('vitals', { readings }));
    expect(d.submit).toHaveBeenLastCalledWith('vitals.submit', {
      sessionId: 's1',
      clientId: 'vitals-1',
      readings,
      sentAt: '2026-12-07T10:30:00.000Z',
    });
    clock += 60_000;
    d.submit = () => Promise.reject(new Error('offline'));
    await transport.send(item('vitals', { readings }));
    expect(d.post).toHaveBeenLastCalledWith('/api/sessions/s1/vitals', {
      clientId: 'vitals-1',
      readings,
      sentAt: '2026-12-07T10:31:00.000Z',
    });
  });

  it('sends readings again without sentAt to a server that refuses it (before v1.14): over REST, or on the socket for a paired device', async () => {
    const ok = { ok: true, seq: 8, duplicate: false } as const;
    const refusing = (payload: Record<string, unknown>) =>
      Promise.resolve<SubmitAck>(
        'sentAt' in payload
          ? { ok: false, error: { code: 'invalid', message: 'sentAt: unknown field' } }
          : ok,
      );
    const phone = deps({
      submit: jest.fn((_event: string, payload: Record<string, unknown>) => refusing(payload)),
    });
    await expect(
      createOutboxTransport(phone.d).send(item('vitals', { readings })),
    ).resolves.toMatchObject({ kind: 'delivered', seq: 5 });
    expect(phone.d.post).toHaveBeenLastCalledWith('/api/sessions/s1/vitals', {
      clientId: 'vitals-1',
      readings,
    });
    // A paired device has no REST: before, its readings waited for a REST that never comes, and
    // every later attempt carried the refused sentAt again.
    const device = deps({
      submit: jest.fn((_event: string, payload: Record<string, unknown>) => refusing(payload)),
      post: undefined,
    });
    await expect(
      createOutboxTransport(device.d).send(item('vitals', { readings })),
    ).resolves.toMatchObject({ kind: 'delivered', seq: 8 });
    expect(device.d.submit).toHaveBeenCalledTimes(2);
    expect(device.d.submit).toHaveBeenNthCalledWith(1, 'vitals.submit', {
      sessionId: 's1',
      clientId: 'vitals-1',
      readings,
      sentAt: expect.any(String),
    });
    expect(device.d.submit).toHaveBeenLastCalledWith('vitals.submit', {
      sessionId: 's1',
      clientId: 'vitals-1',
      readings,
    });
  });

  it('falls back to REST with the same clientId when the socket is down or the ack times out', async () => {
    const { d, calls } = deps({ submit: () => Promise.reject(new Error('offline')) });
    const result = await createOutboxTransport(d).send(item('help', {}));
    expect(result).toEqual({ kind: 'delivered', seq: 5, duplicate: true, response: undefined });
    expect(calls).toEqual(['POST /api/sessions/s1/help help-1']);
  });

  it('sends a message over REST only: the socket has no message event', async () => {
    const { d, calls } = deps();
    const result = await createOutboxTransport(d).send(item('message', { text: 'Hi' }));
    expect(result).toEqual({ kind: 'delivered', seq: 5, duplicate: true, response: undefined });
    expect(calls).toEqual(['POST /api/sessions/s1/messages message-1']);
    expect(d.post).toHaveBeenCalledWith('/api/sessions/s1/messages', {
      clientId: 'message-1',
      text: 'Hi',
    });
  });

  it('treats a definite socket refusal as final without trying REST', async () => {
    const { d, calls } = deps({
      submit: () =>
        Promise.resolve<SubmitAck>({
          ok: false,
          error: { code: 'invalid', message: 'moaas: must be at most 5' },
        }),
    });
    await expect(createOutboxTransport(d).send(item('checkin'))).resolves.toEqual({
      kind: 'rejected',
      message: 'moaas: must be at most 5',
    });
    expect(calls).toEqual([]);
  });

  it.each(['unavailable', 'rate_limited'] as const)(
    'retries later on a %s socket answer, without adding a REST request to a busy server',
    async (code) => {
      const { d } = deps({
        submit: () =>
          Promise.resolve<SubmitAck>({ ok: false, error: { code, message: 'server busy' } }),
      });
      await expect(createOutboxTransport(d).send(item('checkin'))).resolves.toEqual({
        kind: 'retry',
        message: 'server busy',
      });
      expect(d.post).not.toHaveBeenCalled();
    },
  );

  it('sends session-flow actions over REST and keeps the answer (the pre-dose gate)', async () => {
    const gate = { status: 'no_go', reasons: [{ code: 'bp_no_go', message: 'BP high' }] };
    const { d } = deps({
      post: () => Promise.resolve({ seq: 9, duplicate: false, state: 'screening', gate }),
    });
    await expect(createOutboxTransport(d).send(item('screening', { sbp: 170 }))).resolves.toEqual({
      kind: 'delivered',
      seq: 9,
      duplicate: false,
      response: { state: 'screening', gate },
    });
    expect(d.submit).not.toHaveBeenCalled();
  });

  it.each([
    [400, 'rejected'],
    [404, 'rejected'],
    [409, 'rejected'],
    [401, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
  ])('answers HTTP %d with %s', async (status, kind) => {
    const { d } = deps({ post: () => Promise.reject(httpError(status, `failed ${status}`)) });
    await expect(createOutboxTransport(d).send(item('dose'))).resolves.toMatchObject({ kind });
  });

  it('retries when the network itself fails', async () => {
    const { d } = deps({
      submit: () => Promise.reject(new Error('offline')),
      post: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    await expect(createOutboxTransport(d).send(item('vitals'))).resolves.toEqual({
      kind: 'retry',
      message: 'no connection',
    });
  });

  it("keeps the server's Retry-After of a 429 or 503 for the next attempt", async () => {
    const refused = (status: number, retryAfterSeconds: number | null) =>
      createOutboxTransport(
        deps({
          submit: () => Promise.reject(new Error('offline')),
          post: () =>
            Promise.reject(Object.assign(httpError(status, 'later'), { retryAfterSeconds })),
        }).d,
      ).send(item('checkin'));
    await expect(refused(503, 5)).resolves.toEqual({
      kind: 'retry',
      message: 'later',
      afterMs: 5000,
    });
    await expect(refused(429, 30)).resolves.toMatchObject({ afterMs: 30_000 });
    await expect(refused(502, null)).resolves.toEqual({ kind: 'retry', message: 'later' });
  });
});
