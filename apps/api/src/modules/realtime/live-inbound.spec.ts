import { NotFoundException } from '@nestjs/common';
import type { SubmitAck } from '@vigil/contracts';
import type { AppConfig } from '../../config/app-config';
import type { DenialAudit } from '../audit/denial-audit';
import type { Admission } from '../events/admission';
import { SHUTDOWN_MESSAGE, ShutdownState } from '../../common/shutdown-state';
import type { LiveSocket } from './live-handshake';
import { LiveInbound, parseCheckIn } from './live-inbound';

const SESSION = '00000000-0000-4000-8000-000000000001';
const checkIn = { sessionId: SESSION, clientId: 'c-1', moaas: 5 };

function setup(opts: { admit?: boolean; burst?: number; verified?: boolean } = {}) {
  const admitted: string[] = [];
  const released: string[] = [];
  const admission = {
    admit: (kind: string) => {
      if (opts.admit === false) return null;
      admitted.push(kind);
      return () => released.push(kind);
    },
  } as unknown as Admission;
  const denials = { record: jest.fn() } as unknown as DenialAudit;
  const config = {
    SOCKET_RATE_LIMIT_PER_SECOND: 1,
    SOCKET_RATE_LIMIT_BURST: opts.burst ?? 10,
  } as AppConfig;
  const socket = {
    data: {
      user: { id: 'u-1', role: 'patient', name: 'P' },
      ip: null,
      userAgent: null,
      verified: Promise.resolve(opts.verified ?? true),
    },
    emit: jest.fn(),
    disconnect: jest.fn(),
  } as unknown as LiveSocket;
  const shutdown = new ShutdownState();
  return {
    inbound: new LiveInbound(admission, denials, shutdown, config),
    socket,
    admitted,
    released,
    shutdown,
  };
}

/** Sends one message through the pipeline: its ack, or undefined if none came. */
function send(
  { inbound, socket }: ReturnType<typeof setup>,
  payload: unknown,
  run: (value: { sessionId: string }) => Promise<SubmitAck | null>,
): Promise<SubmitAck | undefined> {
  return new Promise((resolve) => {
    // Resolved a turn after the ack, once the admission slot was released.
    const ack = (answer: SubmitAck) => setImmediate(() => resolve(answer));
    inbound.handle(socket, payload, ack, 'priority', parseCheckIn, run);
    // Long enough for a loaded CI machine (50 ms was not, at load 18); only the revoked-socket
    // test waits it out.
    setTimeout(() => resolve(undefined), 2000);
  });
}

describe('LiveInbound', () => {
  it('parses the payload by the contract schema and hands the parsed value to the handler', async () => {
    const ctx = setup();
    const run = jest.fn(() => Promise.resolve({ ok: true, seq: 7, duplicate: false } as const));
    await expect(send(ctx, checkIn, run)).resolves.toEqual({ ok: true, seq: 7, duplicate: false });
    expect(run).toHaveBeenCalledWith(
      { sessionId: SESSION, body: { clientId: 'c-1', moaas: 5 } },
      expect.any(Function),
    );
    expect(ctx.released).toEqual(['priority']);
  });

  it('answers a payload that does not parse as invalid, naming the field, without running', async () => {
    const ctx = setup();
    const run = jest.fn();
    const ack = await send(ctx, { ...checkIn, moaas: 9 }, run);
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(ack?.ok === false && ack.error.message).toMatch(/^moaas/);
    expect(run).not.toHaveBeenCalled();
  });

  it('answers text it cannot store, or nesting too deep to walk, as invalid before admission takes a place', async () => {
    const ctx = setup();
    const run = jest.fn();
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const tooDeep = await send(ctx, { ...checkIn, note: deep }, run);
    expect(tooDeep).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(tooDeep?.ok === false && tooDeep.error.message).toMatch(/^note(\[0\])+: must not nest/);
    const nul = await send(ctx, { ...checkIn, note: 'a\u0000b' }, run);
    expect(nul?.ok === false && nul.error.message).toMatch(/^note: must not contain NUL/);
    expect(run).not.toHaveBeenCalled();
    expect(ctx.admitted).toEqual([]);
  });

  it('refuses a submission admission turns away as unavailable before parsing it', async () => {
    const ctx = setup({ admit: false });
    const run = jest.fn();
    const ack = await send(ctx, { not: 'even close' }, run);
    expect(ack).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(run).not.toHaveBeenCalled();
  });

  it("answers a service's refusal with its code and message, anything else as internal", async () => {
    const ctx = setup();
    const refused = await send(ctx, checkIn, () =>
      Promise.reject(new NotFoundException('session: not found')),
    );
    expect(refused).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'session: not found' },
    });
    const failed = await send(ctx, checkIn, () => Promise.reject(new Error('boom')));
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(ctx.released).toEqual(['priority', 'priority']);
  });

  it('answers a failure while shutting down as unavailable, to be retried, as REST answers 503', async () => {
    const ctx = setup();
    ctx.shutdown.begin();
    const failed = await send(ctx, checkIn, () => Promise.reject(new Error('pool closed')));
    expect(failed).toEqual({
      ok: false,
      error: { code: 'unavailable', message: SHUTDOWN_MESSAGE },
    });
    // A refusal is still the service's own answer.
    const refused = await send(ctx, checkIn, () =>
      Promise.reject(new NotFoundException('session: not found')),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses every message once the servers close, running nothing, and settles what it took before', async () => {
    const ctx = setup();
    let finish!: (ack: SubmitAck) => void;
    const taken = send(ctx, checkIn, () => new Promise<SubmitAck>((r) => (finish = r)));
    await new Promise(setImmediate);
    ctx.shutdown.stopAccepting();
    const run = jest.fn();
    expect(await send(ctx, checkIn, run)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: SHUTDOWN_MESSAGE },
    });
    expect(run).not.toHaveBeenCalled();
    // The shutdown waits for the one taken before (its events reach the alert engine first).
    let settled = false;
    void ctx.inbound.settled().then(() => (settled = true));
    await new Promise(setImmediate);
    expect(settled).toBe(false);
    finish({ ok: true, seq: 3, duplicate: false });
    expect(await taken).toEqual({ ok: true, seq: 3, duplicate: false });
    await ctx.inbound.settled();
    expect(ctx.admitted).toEqual(['priority']);
  });

  it('refuses past the rate limit and tells the socket', async () => {
    const ctx = setup({ burst: 1 });
    const run = () => Promise.resolve({ ok: true, seq: 1, duplicate: false } as const);
    await expect(send(ctx, checkIn, run)).resolves.toMatchObject({ ok: true });
    await expect(send(ctx, checkIn, run)).resolves.toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
    expect(ctx.socket.emit).toHaveBeenCalledWith('rate_limited', expect.any(Object));
  });

  it('runs nothing for a socket whose access was revoked during the handshake', async () => {
    const ctx = setup({ verified: false });
    const run = jest.fn();
    await expect(send(ctx, checkIn, run)).resolves.toBeUndefined();
    expect(run).not.toHaveBeenCalled();
  });
});
