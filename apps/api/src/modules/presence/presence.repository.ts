import type { EntityManager } from 'typeorm';

/** Locks one session's row and reads its device presence and state (null: no such session). */
export async function lockSessionPresence(
  manager: EntityManager,
  sessionId: string,
): Promise<{ devicePresence: string; state: string } | null> {
  const rows: Array<{ device_presence: string; state: string }> = await manager.query(
    `SELECT device_presence, state FROM sessions WHERE id = $1 FOR NO KEY UPDATE`,
    [sessionId],
  );
  const row = rows[0];
  return row ? { devicePresence: row.device_presence, state: row.state } : null;
}

export async function markDeviceOnline(
  manager: EntityManager,
  sessionId: string,
  seenAt: Date,
): Promise<void> {
  await manager.query(
    `UPDATE sessions SET device_last_seen_at = $2, device_presence = 'online' WHERE id = $1`,
    [sessionId, seenAt],
  );
}

/**
 * Claims (at most 500) sessions in these states whose device has been online but unheard since
 * `cutoff`: row-locked, skipping rows another instance holds, in id order.
 */
export async function claimSilentDevices(
  manager: EntityManager,
  cutoff: Date,
  states: readonly string[],
): Promise<Array<{ id: string; lastSeenAt: Date }>> {
  const rows: Array<{ id: string; device_last_seen_at: Date }> = await manager.query(
    `SELECT id, device_last_seen_at FROM sessions
      WHERE device_presence = 'online' AND device_last_seen_at < $1 AND state = ANY($2::text[])
      ORDER BY id LIMIT 500 FOR NO KEY UPDATE SKIP LOCKED`,
    [cutoff, states],
  );
  return rows.map((r) => ({ id: r.id, lastSeenAt: r.device_last_seen_at }));
}

export async function markDevicesSilent(
  manager: EntityManager,
  sessionIds: string[],
): Promise<void> {
  await manager.query(`UPDATE sessions SET device_presence = 'silent' WHERE id = ANY($1::uuid[])`, [
    sessionIds,
  ]);
}
