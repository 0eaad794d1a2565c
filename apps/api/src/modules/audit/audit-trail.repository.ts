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

/**
 * Access trail of one session: rows naming it, as entity or in their detail, and the list reads
 * that showed it (found through the patients they showed, which is indexed, then by session).
 */
export async function readSessionTrail(
  manager: EntityManager,
  session: { id: string; patientId: string },
): Promise<AuditTrailEntry[]> {
  const rows: AuditRow[] = await manager.query(
    `SELECT seq, at, actor_id, actor_role, action, outcome, source_ip FROM audit_events
      WHERE (entity_type = 'session' AND entity_id = $1) OR detail->>'sessionId' = $1
         OR (detail->'patientIds' @> $2::jsonb AND detail->'sessionIds' @> $3::jsonb)
      ORDER BY seq`,
    [
      session.id,
      JSON.stringify([session.patientId.toLowerCase()]),
      JSON.stringify([session.id.toLowerCase()]),
    ],
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

/** The patient of a session, whoever asks: for the audit row of a refusal to show it. */
export async function patientOfSession(
  manager: EntityManager,
  sessionId: string,
): Promise<string | null> {
  const rows: Array<{ patient_id: string }> = await manager.query(
    `SELECT patient_id FROM sessions WHERE id = $1`,
    [sessionId],
  );
  return rows[0]?.patient_id ?? null;
}
