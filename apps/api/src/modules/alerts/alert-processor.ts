import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  announceLatched,
  applyEvent,
  clearLatched,
  createAlertEngineState,
  DEFAULT_ORAL_PROTOCOL,
  noteResolveSeq,
  type AlertEngineState,
  type Protocol,
} from '@vigil/clinical';
import { CLOCK, type Clock } from '../../common/clock';
import { auditFrom } from '../audit/audit.service';
import {
  appendedEvents,
  EventStore,
  type AppendOutcome,
  type AppendRequest,
  type EventTransaction,
} from '../events/event-store';
import { ProtocolsService } from '../protocols/protocols.service';
import {
  alertEvent,
  judgeNoted,
  noteHeldAlerts,
  reopenableSince,
  type AlertChange,
} from './alert-plan';
import { updateAlert, writeAlertChanges, type AlertWrite } from './alert-writes';
import {
  insertEngineStates,
  lockEngineStates,
  readEngineSessions,
  readHeldAlertsMany,
  saveEngineStates,
  type EngineRow,
} from './alerts.repository';
import { readEventsAfterMany } from '../events/event-reads';

const SYSTEM = { user: null, ip: null, userAgent: null };

/**
 * Brings one session's alerts up to date, from the database alone: applies every event after
 * the engine's last_seq (each exactly once: the engine row is locked, then the session row, so
 * no event can commit between the read and our own appends), evaluates at the injected clock's
 * now, reconciles with the open alerts, escalates what is due, and appends the resulting alert
 * events through the EventStore in the same transaction. Lock order everywhere: engine row,
 * session row, alert rows.
 */
@Injectable()
export class AlertProcessor {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly protocols: ProtocolsService,
  ) {}

  /** False when `skipLocked` and another worker holds the session: it is doing this work now. */
  async process(sessionId: string, skipLocked: boolean): Promise<boolean> {
    return (await this.processMany([sessionId], skipLocked)).has(sessionId);
  }

  /**
   * Brings a batch of sessions up to date with a fixed number of round trips (not a few per
   * session): under load, one committed group of submissions costs one engine pass. The quiet
   * sessions in one transaction without their session rows' locks, the rest in a locked one.
   * `lockedAtOnce` go straight to the locked pass: sessions with more than routine readings (a
   * help press, a reading that may alert at once), likely to raise, which a quiet attempt would
   * only read twice. Returns the sessions processed (with `skipLocked`, those another worker
   * holds are left).
   */
  async processMany(
    sessionIds: string[],
    skipLocked: boolean,
    lockedAtOnce: ReadonlySet<string> = new Set(),
  ): Promise<Set<string>> {
    const ids = [...new Set(sessionIds)].sort();
    if (ids.length === 0) return new Set();
    const quiet = await this.processIfQuiet(
      ids.filter((id) => !lockedAtOnce.has(id)),
      skipLocked,
    );
    const rest = ids.filter((id) => !quiet.has(id));
    if (rest.length === 0) return quiet;
    const locked = await this.store.unitOfWork((tx) => this.processWithin(tx, rest, skipLocked));
    return new Set([...quiet, ...locked]);
  }

  /**
   * The steady state's pass (readings in range, nothing to raise, resolve or escalate), without
   * the session rows' locks: the engine rows locked, then every read in one snapshot (REPEATABLE
   * READ), each quiet session's state saved up to the head that snapshot saw. That is what the
   * locked pass would have written at that instant, and the events committed since are the next
   * pass's. Issue 15: a pass over up to 200 sessions held their rows from its first read to its
   * COMMIT, nine statements, and every submission group touching one of them waited (the engine
   * cost about 70 ms of the 2,000 x 20 bench's p99, docs/BENCHMARKS.md). Returns the sessions it
   * saved; the others (something to append, an engine row missing or skipped) are left untouched
   * for the locked pass, and all of them if the snapshot met a concurrent update of an engine row.
   */
  private async processIfQuiet(ids: string[], skipLocked: boolean): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    try {
      return await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
        // The first statement: the snapshot is taken with the engine rows' lock.
        const engines = await lockEngineStates(manager, ids, skipLocked);
        const present = ids.filter((id) => engines.has(id));
        if (present.length === 0) return new Set<string>();
        const { plans, sessions } = await this.plan(manager, engines, present, false);
        const quiet = plans.filter((p) => p.changes.length === 0);
        await saveEngineStates(
          manager,
          quiet.map((p) => ({
            sessionId: p.sessionId,
            state: p.state,
            lastSeq: sessions.get(p.sessionId)!.headSeq,
          })),
        );
        return new Set(quiet.map((p) => p.sessionId));
      });
    } catch (err) {
      // 40001: an engine row changed after the snapshot; the locked pass waits for it instead.
      if ((err as { driverError?: { code?: string } }).driverError?.code === '40001')
        return new Set();
      throw err;
    }
  }

  private async processWithin(
    tx: EventTransaction,
    ids: string[],
    skipLocked: boolean,
  ): Promise<Set<string>> {
    const { manager } = tx;
    const engines = await this.lockEngines(manager, ids, skipLocked);
    const lockedIds = ids.filter((id) => engines.has(id));
    if (lockedIds.length === 0) return new Set();
    const { plans, sessions, now } = await this.plan(manager, engines, lockedIds, true);

    const requests: AppendRequest[] = [];
    const firsts = plans.map((plan) => {
      const first = requests.length;
      for (const change of plan.changes)
        requests.push(this.request(plan.sessionId, plan.patientId, change, now));
      return first;
    });
    const outcomes = await tx.append(requests);
    const saves: Array<{ sessionId: string; state: AlertEngineState; lastSeq: number }> = [];
    const writes: Array<{
      sessionId: string;
      change: AlertChange;
      outcome: AppendOutcome | undefined;
    }> = [];
    plans.forEach((plan, p) => {
      const mine = outcomes.slice(firsts[p], firsts[p] + plan.changes.length);
      plan.changes.forEach((change, i) =>
        writes.push({ sessionId: plan.sessionId, change, outcome: mine[i] }),
      );
      const appended = appendedEvents(mine);
      const headSeq = sessions.get(plan.sessionId)!.headSeq;
      saves.push({
        sessionId: plan.sessionId,
        state: plan.state,
        lastSeq: headSeq + appended.length,
      });
    });
    await this.applyChanges(manager, writes, now);
    await saveEngineStates(manager, saves);
    return new Set(plans.map((p) => p.sessionId));
  }

  /**
   * Each session's pass, planned: its events after the engine's last_seq applied, judged at `now`
   * against its open alerts. `lockSessions` locks the session rows (the pass that appends: no
   * event can commit between the read and its own appends) and the alert rows it may change.
   * `now` is read once the events are: a pass never judges an event at a time before its commit.
   * Read before the transaction, it did on a busy box (a pool connection or a lock to wait for):
   * a reading the phone dated after that `now` was capped to it ("never measured after the
   * event"), so a sparse device's low SpO2 took the previous reading's time, read as no newer
   * than it, and never raised (an e2e run in CI).
   */
  private async plan(
    manager: EntityManager,
    engines: Map<string, EngineRow>,
    ids: string[],
    lockSessions: boolean,
  ) {
    const sessions = await readEngineSessions(manager, ids, lockSessions);
    const eventsBySession = await readEventsAfterMany(
      manager,
      new Map(ids.map((id) => [id, engines.get(id)!.lastSeq])),
    );
    const now = this.clock.now();
    // The episode window is locked (not a per-patient setting): the default's is everyone's.
    const heldBySession = await readHeldAlertsMany(
      manager,
      ids,
      reopenableSince(now, DEFAULT_ORAL_PROTOCOL),
      lockSessions,
    );
    const protocols = await this.protocols.forSessions(
      manager,
      [...sessions].map(([sessionId, s]) => ({
        sessionId,
        protocolId: s.protocolId,
        patientId: s.patientId,
      })),
    );

    const plans: Array<{
      sessionId: string;
      patientId: string;
      state: AlertEngineState;
      changes: AlertChange[];
    }> = [];
    for (const sessionId of ids) {
      const session = sessions.get(sessionId);
      const protocol = protocols.get(sessionId);
      if (!session || !protocol) continue;
      const held = heldBySession.get(sessionId) ?? [];
      // Before the new events: a reading up to a clinician's resolve must not move a hold.
      const noted = noteHeldAlerts(engines.get(sessionId)!.state, held);
      let state = noted.state;
      for (const event of eventsBySession.get(sessionId) ?? []) {
        // A clinician's resolve: its place in the log bars the discrete readings logged before it,
        // and it clears what its alert announced (a help press, a symptom) as the resolve itself
        // did. An engine rebuilt from the log replays the press before the resolve: without this
        // it latched it again and raised a help alert nobody pressed for. A press this pass met
        // before the resolve but no alert announced was never in front of the clinician, and
        // stays (clearLatched).
        if (event.type === 'alert.resolved' && event.data.auto === false) {
          const condition = String(event.data.condition);
          state = clearLatched(noteResolveSeq(state, condition, event.seq), condition);
        }
        // Met only by an engine replaying the log (a pass saves last_seq past its own events):
        // the reports before it were judged and announced by the pass that wrote it.
        if (event.type === 'alert.raised' || event.type === 'alert.updated') {
          state = announceLatched(state, String(event.data.condition));
        }
        // The engine's own output is never its input: no loops.
        if (event.type.startsWith('alert.')) continue;
        // The session's own pre-dose screening is its baseline, ahead of the patient record's.
        if (event.type === 'screening.submitted') {
          state = { ...state, baseline: null, preDoseMoaas: null };
        }
        // Judged at the time it is processed (milliseconds after its commit in steady state),
        // on the injected clock, so rules and tests share one timeline; readings keep measuredAt,
        // and their seq tells a resolve barrier whether the clinician could have seen them; the
        // sender (or the device in the data) names whose clock dated them.
        state = applyEvent(
          state,
          { type: event.type, at: now, seq: event.seq, actorId: event.actorId, data: event.data },
          protocol,
        ).state;
      }
      // The resolves are noted already (and the loop only added their seqs): judge with them.
      const judged = judgeNoted(
        { state, records: noted.records },
        session,
        now,
        protocol,
        randomUUID,
      );
      plans.push({
        sessionId,
        patientId: session.patientId,
        state: judged.state,
        changes: judged.changes,
      });
    }
    return { plans, sessions, now };
  }

  private request(
    sessionId: string,
    patientId: string,
    change: AlertChange,
    now: Date,
  ): AppendRequest {
    const event = alertEvent(change, now);
    return {
      sessionId,
      ...event,
      actorId: null,
      clientId: null,
      bodyHash: null,
      clientTime: null,
      audit: auditFrom(SYSTEM, {
        action: event.type,
        entityType: 'alert',
        entityId: change.kind === 'raise' ? change.alertId : change.alert.id,
        patientId,
        outcome: 'success',
        detail: { sessionId, condition: event.data.condition, priority: event.data.priority },
      }),
    };
  }

  /**
   * Locks the engine rows, creating a session's row on its first pass. The lock is taken first
   * and its rows say which exist (issue 15: a separate existence check was one more statement in
   * every pass, paid by a handful of events at low load); only a pass that met a session without
   * a row inserts it and locks the missing ones. A row another worker holds (`skipLocked`) exists
   * too: the insert skips it (ON CONFLICT DO NOTHING) and the second lock skips it again.
   */
  private async lockEngines(
    manager: EntityManager,
    ids: string[],
    skipLocked: boolean,
  ): Promise<Map<string, EngineRow>> {
    const engines = await lockEngineStates(manager, ids, skipLocked);
    const missing = ids.filter((id) => !engines.has(id));
    if (missing.length === 0) return engines;
    await this.createEngines(manager, missing);
    for (const [id, row] of await lockEngineStates(manager, missing, skipLocked))
      engines.set(id, row);
    return engines;
  }

  /** A session's first pass creates its engine row from the session and its protocol. */
  private async createEngines(manager: EntityManager, missing: string[]): Promise<void> {
    const sessions = await readEngineSessions(manager, missing, false);
    const rows: Array<{ sessionId: string; state: AlertEngineState }> = [];
    for (const [sessionId, session] of sessions) {
      const protocol = await this.requireProtocol(manager, session.protocolId);
      rows.push({
        sessionId,
        state: createAlertEngineState({
          baseline: session.baseline,
          sessionState: session.state,
          dosedAt: session.dosedAt,
          protocol: { id: session.protocolId, version: protocol.version },
        }),
      });
    }
    await insertEngineStates(manager, rows);
  }

  private async requireProtocol(manager: EntityManager, id: string): Promise<Protocol> {
    const protocol = await this.protocols.document(id, manager);
    if (!protocol) throw new Error(`protocol ${id} is missing`);
    return protocol;
  }

  /**
   * Writes the alerts table for every session's changes: raises, auto-resolves and escalations
   * as one multi-row statement each (an engine pass over many sessions holds their row locks and
   * the audit chain head until it commits, so a statement per change made every submission group
   * wait behind it); updates, whose columns depend on the change, one statement each. Changes are
   * written in plan order, consecutive ones of a kind together, so a later change to the same
   * alert still lands after an earlier one.
   */
  private async applyChanges(
    manager: EntityManager,
    changes: Array<{ sessionId: string; change: AlertChange; outcome: AppendOutcome | undefined }>,
    now: Date,
  ): Promise<void> {
    let run: AlertWrite[] = [];
    const flushRun = async () => {
      if (run.length > 0) await writeAlertChanges(manager, run, now);
      run = [];
    };
    for (const { sessionId, change, outcome } of changes) {
      if (change.kind === 'update') {
        await flushRun();
        await updateAlert(manager, change, now);
        continue;
      }
      if (run.length > 0 && run[0].kind !== change.kind) await flushRun();
      if (change.kind === 'raise') {
        if (outcome?.status !== 'appended') throw new Error('alert.raised was not appended');
        run.push({ kind: 'raise', sessionId, change, raisedSeq: outcome.event.seq });
      } else if (change.kind === 'resolve') {
        run.push({ kind: 'resolve', sessionId, change });
      } else {
        run.push({ kind: 'escalate', sessionId, change });
      }
    }
    await flushRun();
  }
}
