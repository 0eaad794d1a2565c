import type { EntityManager } from 'typeorm';

/** One row of a record's access trail, as the FHIR export's AuditEvents show it. */
export interface AuditTrailEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  outcome: string;
  sourceIp: string | null;
}

interface AuditRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  outcome: string;
  source_ip: string | null;
}

/** Access trail of one session: rows naming it, as entity or in their detail. */
export async function readSessionTrail(
  manager: EntityManager,
  sessionId: string,
): Promise<AuditTrailEntry[]> {
  const rows: AuditRow[] = await manager.query(
    `SELECT seq, at, actor_id, actor_role, action, outcome, source_ip FROM audit_events
      WHERE (entity_type = 'session' AND entity_id = $1) OR detail->>'sessionId' = $1
      ORDER BY seq`,
    [sessionId],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    outcome: r.outcome,
    sourceIp: r.source_ip,
  }));
}
