import type { EntityManager } from 'typeorm';

type Manager = Pick<EntityManager, 'query'>;

/** A session's state and patient, with the assignments' version the same snapshot saw. */
export interface SessionRouting {
  id: string;
  state: string;
  patientId: string;
  /** `clinician_assignments_version` (migration 1764190090000), as text (a bigint). */
  assignmentsVersion: string;
}

/** One clinician's assignment to a patient: from when, and until when (null: open-ended). */
export interface AssignmentWindow {
  clinicianId: string;
  from: number;
  until: number | null;
}

/** The state and patient of each of these sessions, in one query, by primary key. */
export async function readSessionRouting(
  manager: Manager,
  sessionIds: string[],
): Promise<SessionRouting[]> {
  return manager.query(
    `SELECT s.id, s.state, s.patient_id AS "patientId", v.version::text AS "assignmentsVersion"
       FROM sessions s CROSS JOIN clinician_assignments_version v
      WHERE s.id = ANY($1::uuid[])`,
    [sessionIds],
  );
}

/**
 * The assignments of these patients that are in force at `now` or start later, and the version
 * they are as of (the same snapshot). The windows come back as one JSON array, which pg decodes
 * with the native JSON.parse rather than row by row; their bounds in epoch milliseconds rounded
 * up, so that judged at a whole-millisecond `now` they agree with the timestamps themselves.
 */
export async function readAssignmentWindows(
  manager: Manager,
  patientIds: string[],
  now: Date,
): Promise<{ version: string; byPatient: Map<string, AssignmentWindow[]> }> {
  const [row]: Array<{
    version: string;
    windows: Array<{ patientId: string; clinicianId: string; from: number; until: number | null }>;
  }> = await manager.query(
    `SELECT (SELECT version::text FROM clinician_assignments_version) AS version,
            coalesce((SELECT json_agg(json_build_object(
                        'patientId', a.patient_id, 'clinicianId', a.clinician_id,
                        'from', ceil(extract(epoch FROM a.valid_from) * 1000),
                        'until', ceil(extract(epoch FROM a.valid_until) * 1000)))
                        FROM clinician_assignments a
                       WHERE a.patient_id = ANY($1::uuid[])
                         AND (a.valid_until IS NULL OR a.valid_until > $2)), '[]') AS windows`,
    [patientIds, now],
  );
  const byPatient = new Map<string, AssignmentWindow[]>();
  for (const w of row.windows) {
    const list = byPatient.get(w.patientId) ?? [];
    list.push({ clinicianId: w.clinicianId, from: w.from, until: w.until });
    byPatient.set(w.patientId, list);
  }
  return { version: row.version, byPatient };
}
