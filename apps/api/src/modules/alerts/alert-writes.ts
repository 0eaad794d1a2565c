import type { EntityManager } from 'typeorm';
import type { AlertChange } from './alert-plan';

type Of<K extends AlertChange['kind']> = Extract<AlertChange, { kind: K }>;

/** A change to the alerts table that can share one statement with others of its kind. */
export type AlertWrite =
  | { kind: 'raise'; sessionId: string; change: Of<'raise'>; raisedSeq: number }
  | { kind: 'resolve'; sessionId: string; change: Of<'resolve'> }
  | { kind: 'escalate'; sessionId: string; change: Of<'escalate'> };

/** Writes a run of changes of one kind in one statement. */
export async function writeAlertChanges(
  manager: EntityManager,
  run: AlertWrite[],
  now: Date,
): Promise<void> {
  const of = <K extends AlertWrite['kind']>(kind: K) =>
    run.filter((w): w is Extract<AlertWrite, { kind: K }> => w.kind === kind);
  const raises = of('raise');
  if (raises.length > 0) {
    await manager.query(
      `INSERT INTO alerts (id, session_id, condition, priority, status, message, raised_seq,
                           raised_at, updated_at, clock_at, occurrences)
       SELECT k.id, k.session_id, k.condition, k.priority, 'open', k.message, k.raised_seq,
              $7, $7, $7, k.occurrences
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                     $8::int[])
           AS k(id, session_id, condition, priority, message, raised_seq, occurrences)`,
      [
        raises.map((w) => w.change.alertId),
        raises.map((w) => w.sessionId),
        raises.map((w) => w.change.condition.condition),
        raises.map((w) => w.change.condition.priority),
        raises.map((w) => w.change.condition.message),
        raises.map((w) => w.raisedSeq),
        now,
        raises.map((w) => w.change.condition.count ?? 1),
      ],
    );
  }
  const resolves = of('resolve');
  if (resolves.length > 0) {
    await manager.query(
      `UPDATE alerts SET status = 'resolved', resolved_at = $2, updated_at = $2,
              auto_resolved = true, resolution_note = 'condition cleared (automatic)'
        WHERE id = ANY($1::uuid[])`,
      [resolves.map((w) => w.change.alert.id), now],
    );
  }
  const escalations = of('escalate');
  if (escalations.length > 0) {
    await manager.query(
      `UPDATE alerts a SET last_escalated_at = $3, escalation_count = k.count, updated_at = $3
         FROM unnest($1::uuid[], $2::int[]) AS k(id, count) WHERE a.id = k.id`,
      [escalations.map((w) => w.change.alert.id), escalations.map((w) => w.change.count), now],
    );
  }
}

/** An update's columns depend on the change (reopen, clock restart, end of silence): one each. */
export async function updateAlert(
  manager: EntityManager,
  change: Of<'update'>,
  now: Date,
): Promise<void> {
  const c = change.condition;
  // Open again: unacknowledged, unresolved, unsilenced, so it re-annunciates.
  const reopen = change.reopened
    ? `, status = 'open', acknowledged_at = NULL, acknowledged_by = NULL, resolved_at = NULL,
         resolved_by = NULL, resolution_note = NULL, auto_resolved = false, silenced_until = NULL`
    : '';
  const restart = change.restartClock ? `, clock_at = $4, last_escalated_at = NULL` : '';
  // A rise on an open alert ends its silence too (reopening already clears it above).
  const unsilence = change.endsSilence && !change.reopened ? `, silenced_until = NULL` : '';
  await manager.query(
    `UPDATE alerts SET priority = $2, message = $3, updated_at = $4, occurrences = $5
            ${reopen} ${restart} ${unsilence}
      WHERE id = $1`,
    [change.alert.id, c.priority, c.message, now, c.count ?? change.alert.count],
  );
}
