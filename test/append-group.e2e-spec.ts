import { AlertEngineService } from '../apps/api/src/modules/alerts/alert-engine.service';
import { ClinicalWatchdogService } from '../apps/api/src/modules/alerts/clinical-watchdog.service';
import { EventStore, type AppendRequest } from '../apps/api/src/modules/events/event-store';
import { verifyAuditChain } from '../apps/api/src/modules/audit/audit-verify';
import { PresenceService } from '../apps/api/src/modules/presence/presence.service';
import { patientWithSessions, type TestUser } from './support/factories';
import { helpRequest } from './support/append-requests';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * A group of new submissions is one statement (`vigil_append_group`, issue 15); anything else
 * (a retry, a conflict, a session that does not exist, a client id twice in the group) is the
 * transaction of several. Both must give the same log and the same audit rows: these check the
 * outcomes, the seqs, each audit row's detail and the chain against a real PostgreSQL.
 */
describe('EventStore: a group of new submissions in one statement', () => {
  let t: TestApp;
  let store: EventStore;
  let patient: TestUser;
  let sessions: string[];
  let transactions: jest.SpyInstance;

  beforeAll(async () => {
    t = await createTestApp();
    store = t.app.get(EventStore);
    ({ patient, sessions } = await patientWithSessions(t.dataSource, 2));
    // The alert engine's passes, the watchdog's ticks and the presence sweep (a session whose
    // phone fell silent) are transactions of their own: stopped, so that the spy (which passes
    // through) counts only the groups that took the transaction's path. The sweep, left running,
    // marked the sessions silent 25 s after the app started (no heartbeat here), inside the
    // 30 groups' test on a loaded machine.
    await t.app.get(AlertEngineService).onModuleDestroy();
    await t.app.get(ClinicalWatchdogService).onModuleDestroy();
    await t.app.get(PresenceService).onModuleDestroy();
    transactions = jest.spyOn(store, 'unitOfWork');
  });
  afterEach(() => transactions.mockClear());
  afterAll(() => t.close());

  const help = (sessionId: string, clientId: string, note = 'x') =>
    helpRequest(patient, sessionId, clientId, note);

  const vitals = (sessionId: string, clientId: string, hr: number, at: string): AppendRequest => ({
    ...help(sessionId, clientId),
    type: 'vitals.recorded',
    data: {
      readings: [
        { kind: 'heart_rate', value: hr, measuredAt: at },
        { kind: 'spo2', value: 97, measuredAt: at },
      ],
    },
  });

  const heads = async (): Promise<number[]> => {
    const rows = await t.dataSource.query<Array<{ id: string; head_seq: string }>>(
      `SELECT id, head_seq FROM sessions WHERE id = ANY($1::uuid[])`,
      [sessions],
    );
    return sessions.map((id) => Number(rows.find((r) => r.id === id)!.head_seq));
  };

  const auditOf = async (clientIds: string[]) => {
    // The help press's audit row does not name its clientId: its detail's seq ties it to the event.
    const rows = await t.dataSource.query<
      Array<{
        client_id: string;
        outcome: string;
        user_agent: string | null;
        detail: Record<string, unknown>;
      }>
    >(
      `SELECT e.client_id, a.outcome, a.user_agent, a.detail FROM session_events e
         JOIN audit_events a ON a.entity_id = e.session_id::text AND a.action = 'help.request'
          AND (a.detail->>'seq')::bigint = e.seq
        WHERE e.client_id = ANY($1::text[]) ORDER BY a.seq`,
      [clientIds],
    );
    return rows;
  };

  it('appends a group of new submissions to two sessions in order, without a transaction of several statements', async () => {
    const [a0, b0] = await heads();
    const group = [
      help(sessions[0], 'new-1'),
      help(sessions[1], 'new-2'),
      help(sessions[0], 'new-3'),
      { ...help(sessions[1], 'new-4'), audit: null },
    ];
    const outcomes = await store.append(group);

    expect(transactions).not.toHaveBeenCalled();
    expect(
      outcomes.map((o) => (o.status === 'appended' ? [o.event.sessionId, o.event.seq] : o)),
    ).toEqual([
      [sessions[0], a0 + 1],
      [sessions[1], b0 + 1],
      [sessions[0], a0 + 2],
      [sessions[1], b0 + 2],
    ]);
    expect(await heads()).toEqual([a0 + 2, b0 + 2]);
    // Each audited request's row carries its event's seq, as the transaction's path writes it.
    const audited = await auditOf(['new-1', 'new-2', 'new-3', 'new-4']);
    expect(audited.map((r) => [r.client_id, r.outcome, r.detail.seq])).toEqual([
      ['new-1', 'success', a0 + 1],
      ['new-2', 'success', b0 + 1],
      ['new-3', 'success', a0 + 2],
    ]);
    expect((await verifyAuditChain((sql, p) => t.dataSource.query(sql, p))).ok).toBe(true);
  });

  it('keeps each session latest reading of each kind, as the transaction path does', async () => {
    const out = await store.append([
      vitals(sessions[0], 'hr-1', 80, '2026-12-05T10:00:01.000Z'),
      vitals(sessions[0], 'hr-2', 90, '2026-12-05T10:00:00.000Z'),
    ]);
    expect(transactions).not.toHaveBeenCalled();
    const seqs = out.map((o) => (o.status === 'appended' ? o.event.seq : -1));
    const latest = await t.dataSource.query<Array<{ kind: string; seq: string }>>(
      `SELECT kind, seq FROM session_latest_readings WHERE session_id = $1 ORDER BY kind`,
      [sessions[0]],
    );
    // Measured later wins, whatever order it came in.
    expect(latest.map((r) => [r.kind, Number(r.seq)])).toEqual([
      ['heart_rate', seqs[0]],
      ['spo2', seqs[0]],
    ]);
  });

  it('leaves a retry, a conflict and a session that does not exist to the transaction, writing nothing first', async () => {
    await store.append([help(sessions[0], 'once', 'first')]);
    const [a0, b0] = await heads();
    transactions.mockClear();
    const missing = '00000000-0000-4000-8000-000000000000';
    const outcomes = await store.append([
      help(sessions[1], 'fresh'),
      help(sessions[0], 'once', 'first'),
      help(sessions[0], 'once', 'changed'),
      help(missing, 'nowhere'),
    ]);

    expect(transactions).toHaveBeenCalledTimes(1);
    expect(outcomes.map((o) => o.status)).toEqual([
      'appended',
      'duplicate',
      'conflict',
      'not_found',
    ]);
    // One append, once: nothing the one statement tried stayed behind.
    expect(await heads()).toEqual([a0, b0 + 1]);
    expect((await verifyAuditChain((sql, p) => t.dataSource.query(sql, p))).ok).toBe(true);
  });

  it('sends a client id twice in one group to the transaction: the second is the first one retried', async () => {
    const outcomes = await store.append([help(sessions[1], 'twice'), help(sessions[1], 'twice')]);
    expect(transactions).toHaveBeenCalledTimes(1);
    const first = outcomes[0];
    expect(outcomes[1]).toEqual({
      status: 'duplicate',
      seq: first.status === 'appended' ? first.event.seq : -1,
    });
  });

  it('keeps seq gapless and the chain linear across 30 groups committing at once', async () => {
    const [a0, b0] = await heads();
    const groups = Array.from({ length: 30 }, (_, g) => [
      help(sessions[0], `c${g}-a`),
      help(sessions[1], `c${g}-b`),
      help(sessions[0], `c${g}-c`),
    ]);
    const outcomes = await Promise.all(groups.map((group) => store.append(group)));

    expect(outcomes.flat().every((o) => o.status === 'appended')).toBe(true);
    expect(transactions).not.toHaveBeenCalled();
    const seqsOf = (sessionId: string) =>
      outcomes
        .flat()
        .flatMap((o) =>
          o.status === 'appended' && o.event.sessionId === sessionId ? [o.event.seq] : [],
        )
        .sort((x, y) => x - y);
    expect(seqsOf(sessions[0])).toEqual(Array.from({ length: 60 }, (_, i) => a0 + 1 + i));
    expect(seqsOf(sessions[1])).toEqual(Array.from({ length: 30 }, (_, i) => b0 + 1 + i));
    // Within a group, a session's requests take its seqs in the group's order.
    for (const out of outcomes) {
      const [x, , z] = out.map((o) => (o.status === 'appended' ? o.event.seq : -1));
      expect(z).toBe(x + 1);
    }
    const audited = await auditOf(groups.flat().map((r) => r.clientId!));
    expect(audited).toHaveLength(90);
    expect((await verifyAuditChain((sql, p) => t.dataSource.query(sql, p))).ok).toBe(true);
  });

  it('stores text with quotes, backslashes, commas, braces and non-ASCII exactly, and chains its audit rows', async () => {
    const notes = ['say "help", {now}', 'C:\\path\\x \\"', 'déjà vu, 痛い 🫀\nline two', '[1,2]'];
    // The client id and the user agent too: every list goes to the statement as JSON.
    const clientIds = notes.map((_, i) => `text-${i} "{a,b}" \\ NULL é`);
    const group = notes.map((note, i) => {
      const req = help(sessions[i % 2], clientIds[i], note);
      return {
        ...req,
        audit: {
          ...req.audit!,
          userAgent: `Agent "${i}" \\ {x}`,
          detail: { requestId: `r"${i}"`, quoted: note },
        },
      };
    });
    const outcomes = await store.append(group);

    expect(transactions).not.toHaveBeenCalled();
    expect(outcomes.map((o) => o.status === 'appended' && o.event.data)).toEqual(
      notes.map((note) => ({ note })),
    );
    const stored = await t.dataSource.query<Array<{ client_id: string; data: unknown }>>(
      `SELECT client_id, data FROM session_events WHERE client_id = ANY($1::text[]) ORDER BY client_id`,
      [clientIds],
    );
    expect(stored.map((r) => r.client_id)).toEqual(clientIds);
    expect(stored.map((r) => r.data)).toEqual(notes.map((note) => ({ note })));
    const audited = await auditOf(clientIds);
    expect(audited.map((r) => r.detail.quoted)).toEqual(notes);
    expect(audited.map((r) => r.user_agent)).toEqual(notes.map((_, i) => `Agent "${i}" \\ {x}`));
    expect((await verifyAuditChain((sql, p) => t.dataSource.query(sql, p))).ok).toBe(true);
  });

  it('refuses a request that would not read back by its type, and stores nothing of its group', async () => {
    const before = await heads();
    const bad = {
      ...help(sessions[0], 'unreadable'),
      type: 'vitals.recorded',
      data: {
        readings: [{ kind: 'heart_rate', value: 'fast', measuredAt: new Date().toISOString() }],
      },
    } as unknown as AppendRequest;
    await expect(store.append([help(sessions[1], 'beside-unreadable'), bad])).rejects.toThrow(
      /session .*readings/,
    );
    expect(await heads()).toEqual(before);
  });
});
