import type { EntityManager } from 'typeorm';

/** The head seq of each of these sessions, as the database has it now. */
export async function readSessionHeads(
  manager: Pick<EntityManager, 'query'>,
  sessionIds: string[],
): Promise<Array<{ id: string; headSeq: number }>> {
  const rows: Array<{ id: string; head_seq: string }> = await manager.query(
    `SELECT id, head_seq FROM sessions WHERE id = ANY($1::uuid[])`,
    [sessionIds],
  );
  return rows.map((row) => ({ id: row.id, headSeq: Number(row.head_seq) }));
}

/** Every session of one patient, any state. */
export async function readSessionIdsOfPatient(
  manager: Pick<EntityManager, 'query'>,
  patientId: string,
): Promise<string[]> {
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT id FROM sessions WHERE patient_id = $1`,
    [patientId],
  );
  return rows.map((r) => r.id);
}
