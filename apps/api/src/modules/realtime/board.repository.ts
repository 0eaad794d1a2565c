import type { EntityManager } from 'typeorm';

/** Where a session's board summary goes: its state and the clinicians assigned to it now. */
export interface BoardRouting {
  id: string;
  state: string;
  clinicians: string[] | null;
}

/**
 * The state and currently assigned clinicians of each of these sessions, in one query.
 * `manager`: the data source or a transaction's manager.
 */
export async function readBoardRouting(
  manager: Pick<EntityManager, 'query'>,
  sessionIds: string[],
  now: Date,
): Promise<BoardRouting[]> {
  return manager.query(
    `SELECT s.id, s.state,
          array(SELECT a.clinician_id::text FROM clinician_assignments a
                 WHERE a.patient_id = s.patient_id AND a.valid_from <= $2
                   AND (a.valid_until IS NULL OR a.valid_until > $2)) AS clinicians
     FROM sessions s WHERE s.id = ANY($1::uuid[])`,
    [sessionIds, now],
  );
}
