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

/**
 * What the database knows of a session's tile as of one head (one statement, one snapshot: the
 * alerts rows, the presence and `session_latest_readings` commit with the events they reflect).
 */
export interface BoardSeed {
  sessionId: string;
  headSeq: number;
  presence: 'online' | 'silent' | 'unknown';
  lastCheckInAt: Date | string | null;
  /** The session's last message: who wrote it, when, its seq (v1.11 `patientMessageAt`). */
  lastMessage: { fromRole: string; at: string; seq: number } | null;
  openAlerts: Array<{ id: string; priority: string }>;
  /** Per kind, the event `session_latest_readings` names for it: its seq, time and readings. */
  readings: Array<{
    kind: string;
    seq: number;
    at: string;
    readings: Array<{ kind: string; value: number; measuredAt: string }>;
  }>;
}

/**
 * The seeds of these sessions' tiles, in one query, once per session and instance (never per
 * event). The check-ins (a few an hour) and the last message are read through their partial
 * indexes (migration 1764190120000).
 */
export async function readBoardSeeds(manager: Manager, sessionIds: string[]): Promise<BoardSeed[]> {
  const rows: Array<Omit<BoardSeed, 'headSeq'> & { headSeq: string }> = await manager.query(
    `SELECT s.id AS "sessionId", s.head_seq::text AS "headSeq", s.device_presence AS presence,
            -- The latest made (its arrival less its wait on the phone, v1.10 checkInMadeAt), as
            -- the live tile keeps it: not the last to arrive, which may have waited longer.
            (SELECT max(c.at - coalesce((c.data->>'waitedMs')::float8, 0) * interval '1 millisecond')
               FROM session_events c
              WHERE c.session_id = s.id AND c.type = 'checkin.recorded') AS "lastCheckInAt",
            (SELECT json_build_object('fromRole', m.data->>'fromRole', 'at', m.at, 'seq', m.seq)
               FROM session_events m
              WHERE m.session_id = s.id AND m.type = 'message.sent'
              ORDER BY m.seq DESC LIMIT 1) AS "lastMessage",
            coalesce((SELECT json_agg(json_build_object('id', a.id, 'priority', a.priority))
                        FROM alerts a
                       WHERE a.session_id = s.id AND a.status <> 'resolved'), '[]') AS "openAlerts",
            coalesce((SELECT json_agg(json_build_object('kind', l.kind, 'seq', l.seq, 'at', e.at,
                                                        'readings', e.data->'readings'))
                        FROM session_latest_readings l
                        JOIN session_events e ON e.session_id = l.session_id AND e.seq = l.seq
                       WHERE l.session_id = s.id), '[]') AS readings
       FROM sessions s
      WHERE s.id = ANY($1::uuid[])`,
    [sessionIds],
  );
  return rows.map((r) => ({ ...r, headSeq: Number(r.headSeq) }));
}
