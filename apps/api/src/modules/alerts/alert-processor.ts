import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { SessionEvent } from '@vigil/contracts';
import {
  applyEvent,
  createAlertEngineState,
  evaluateAt,
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
} from '../events/event-store';
import { SessionEventBus } from '../events/session-event-bus';
import { ProtocolsService } from '../protocols/protocols.service';
import { alertEvent, planAlertChanges, type AlertChange } from './alert-plan';
import {
  FOREIGN_CONDITIONS,
  insertEngineState,
  lockEngineState,
  readEngineSession,
  readEventsAfter,
  readOpenAlerts,
  saveEngineState,
  type EngineRow,
} from './alerts.repository';

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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: EventStore,
    private readonly bus: SessionEventBus,
    private readonly protocols: ProtocolsService,
  ) {}

  /** False when `skipLocked` and another worker holds the session: it is doing this work now. */
  async process(sessionId: string, skipLocked: boolean): Promise<boolean> {
    const now = this.clock.now();
    const events = await this.dataSource.transaction((manager) =>
      this.processWithin(manager, sessionId, now, skipLocked),
    );
    if (events === null) return false;
    this.bus.publish(events);
    return true;
  }

  private async processWithin(
    manager: EntityManager,
    sessionId: string,
    now: Date,
    skipLocked: boolean,
  ): Promise<SessionEvent[] | null> {
    const engine = await this.lockOrCreate(manager, sessionId, skipLocked);
    if (engine === null) return null;
    const session = await readEngineSession(manager, sessionId, true);
    if (!session) return null;
    const protocol = await this.requireProtocol(manager, session.protocolId);

    let state = engine.state;
    for (const event of await readEventsAfter(manager, sessionId, engine.lastSeq)) {
      // The engine's own output is never its input: no loops.
      if (event.type.startsWith('alert.')) continue;
      // The session's own pre-dose screening is its baseline, ahead of the patient record's.
      if (event.type === 'screening.submitted') {
        state = { ...state, baseline: null, preDoseMoaas: null };
      }
      // Judged at the time it is processed (milliseconds after its commit in steady state), on
      // the injected clock, so rules and tests share one timeline; readings keep measuredAt.
      state = applyEvent(state, { type: event.type, at: now, data: event.data }, protocol).state;
    }
    const evaluated = evaluateAt(state, now, protocol);
    const present = evaluated.conditions.filter((c) => !FOREIGN_CONDITIONS.includes(c.condition));
    const open = await readOpenAlerts(manager, sessionId, true);
    const changes = planAlertChanges(open, present, now, protocol, randomUUID);

    const requests: AppendRequest[] = changes.map((change) => {
      const event = alertEvent(change, now);
      return {
        sessionId,
        type: event.type,
        actorId: null,
        clientId: null,
        bodyHash: null,
        clientTime: null,
        data: event.data,
        audit: auditFrom(SYSTEM, {
          action: event.type,
          entityType: 'alert',
          entityId: String(event.data.alertId),
          patientId: session.patientId,
          outcome: 'success',
          detail: { sessionId, condition: event.data.condition, priority: event.data.priority },
        }),
      };
    });
    const outcomes = await this.store.appendWithin(manager, requests);
    await this.applyChanges(manager, sessionId, changes, outcomes, now);
    const appended = appendedEvents(outcomes);
    await saveEngineState(manager, sessionId, evaluated.state, session.headSeq + appended.length);
    return appended;
  }

  private async lockOrCreate(
    manager: EntityManager,
    sessionId: string,
    skipLocked: boolean,
  ): Promise<EngineRow | null> {
    const found = await lockEngineState(manager, sessionId, skipLocked);
    if (found === 'locked') return null;
    if (found !== 'missing') return found;
    const session = await readEngineSession(manager, sessionId, false);
    if (!session) return null;
    const protocol = await this.requireProtocol(manager, session.protocolId);
    const initial: AlertEngineState = createAlertEngineState({
      baseline: session.baseline,
      sessionState: session.state,
      dosedAt: session.dosedAt,
      protocol: { id: session.protocolId, version: protocol.version },
    });
    if (await insertEngineState(manager, sessionId, initial)) return { state: initial, lastSeq: 0 };
    const again = await lockEngineState(manager, sessionId, skipLocked);
    return again === 'locked' || again === 'missing' ? null : again;
  }

  private async requireProtocol(manager: EntityManager, id: string): Promise<Protocol> {
    const protocol = await this.protocols.document(id, manager);
    if (!protocol) throw new Error(`protocol ${id} is missing`);
    return protocol;
  }

  private async applyChanges(
    manager: EntityManager,
    sessionId: string,
    changes: AlertChange[],
    outcomes: AppendOutcome[],
    now: Date,
  ): Promise<void> {
    for (const [i, change] of changes.entries()) {
      const outcome = outcomes[i];
      switch (change.kind) {
        case 'raise': {
          if (outcome?.status !== 'appended') throw new Error('alert.raised was not appended');
          const c = change.condition;
          await manager.query(
            `INSERT INTO alerts (id, session_id, condition, priority, status, message, raised_seq, raised_at, updated_at)
             VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $7)`,
            [change.alertId, sessionId, c.condition, c.priority, c.message, outcome.event.seq, now],
          );
          break;
        }
        case 'update':
          await manager.query(
            `UPDATE alerts SET priority = $2, message = $3, updated_at = $4 WHERE id = $1`,
            [change.alert.id, change.condition.priority, change.condition.message, now],
          );
          break;
        case 'resolve':
          await manager.query(
            `UPDATE alerts SET status = 'resolved', resolved_at = $2, updated_at = $2,
                    resolution_note = 'condition cleared (automatic)' WHERE id = $1`,
            [change.alert.id, now],
          );
          break;
        case 'escalate':
          await manager.query(
            `UPDATE alerts SET last_escalated_at = $2, escalation_count = $3, updated_at = $2
              WHERE id = $1`,
            [change.alert.id, now, change.count],
          );
          break;
      }
    }
  }
}
