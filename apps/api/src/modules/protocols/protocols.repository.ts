import type { EntityManager } from 'typeorm';
import type { Protocol } from '@vigil/clinical';

/** Stores a protocol version unless that name and version are stored already (rows never change). */
export async function insertProtocolIfMissing(
  manager: EntityManager,
  protocol: Protocol,
): Promise<void> {
  await manager.query(
    `INSERT INTO protocols (name, version, document) VALUES ($1, $2, $3) ON CONFLICT (name, version) DO NOTHING`,
    [protocol.name, protocol.version, JSON.stringify(protocol)],
  );
}

/** A protocol row's document as stored (perhaps older than CLINICAL.md v2), or null for none. */
export async function readProtocolDocument(
  manager: EntityManager,
  id: string,
): Promise<Protocol | null> {
  const rows: Array<{ document: Protocol }> = await manager.query(
    `SELECT document FROM protocols WHERE id = $1`,
    [id],
  );
  return rows.length === 0 ? null : rows[0].document;
}
