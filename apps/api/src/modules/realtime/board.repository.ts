import type { EntityManager } from 'typeorm';

/** Where a session's board summary goes: its state and the clinicians assigned to it now. */
export interface BoardRouting {
  id: string;
  state: string;
  clinicians: string[];
}

/**
 * The state and currently assigned clinicians of each of these sessions, in one query.
 * `manager`: the data source or a transaction's manager. The clinicians come back as a JSON
 * array, which pg decodes with the native JSON.parse: a Postgres text array (`uuid[]`) goes
 * through pg's character-by-character array parser, 2-3 % of the API's CPU at 500 sessions
 * watched by 20 clinicians each (docs/BENCHMARKS.md).
 */
export async function readBoardRouting(
  manager: Pick<EntityManager, 'query'>,
  sessionIds: string[],
  now: Date,
): Promise<BoardRouting[]> {
  return manager.query(
    `SELECT s.id, s.state,
          coalesce((SELECT json_agg(a.clinician_id) FROM clinician_assignments a
                     WHERE a.patient_id = s.patient_id AND a.valid_from <= $2
                       AND (a.valid_until IS NULL OR a.valid_until > $2)), '[]') AS clinicians
     FROM sessions s WHERE s.id = ANY($1::uuid[])`,
    [sessionIds, now],
  );
}
