import type { AuditBreakReason, AuditVerifyResult } from '@vigil/contracts';
import { CHAIN_COLUMNS_SQL, chainHash, contentOf, GENESIS_HASH, type ChainRow } from './audit-hash';

/** Runs one SQL statement: a TypeORM manager, a pg client, whatever the caller holds. */
export type SqlRunner = (sql: string, params?: unknown[]) => Promise<unknown[]>;

const PAGE = 5000;

/**
 * Walks the whole chain in seq order and reports the first broken link. The caller decides the
 * snapshot: the API and the script run it in one REPEATABLE READ transaction (head and rows from
 * the same instant, so a row past the head is a forgery, not a concurrent append); the tamper
 * test runs it inside its own uncommitted transaction.
 *
 * What it catches: an edited row (its hash), a row whose hash was recomputed (the next row's
 * prev_hash), a deleted or inserted row (seq gap, links), reordered rows (seq is hashed), a
 * truncated or extended tail (the head row). What it cannot catch alone: a superuser who
 * recomputes every hash after the change and moves the head; anchor the head hash elsewhere.
 */
export async function verifyAuditChain(
  run: SqlRunner,
  now: () => Date = () => new Date(),
): Promise<AuditVerifyResult> {
  const started = Date.now();
  const heads = (await run(`SELECT seq, hash FROM audit_chain_head`)) as Array<{
    seq: string;
    hash: string;
  }>;
  const head = heads.length === 1 ? { seq: Number(heads[0].seq), hash: heads[0].hash } : null;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const result = (broken: AuditVerifyResult['firstBroken']): AuditVerifyResult => ({
    ok: broken === null,
    checkedRows: checked,
    headSeq: head?.seq ?? null,
    headHash: head?.hash ?? null,
    firstBroken: broken,
    verifiedAt: now().toISOString(),
    durationMs: Date.now() - started,
  });
  const brokenAt = (
    reason: AuditBreakReason,
    row: ChainRow | null,
    message: string,
  ): AuditVerifyResult['firstBroken'] => ({
    seq: row ? Number(row.seq) : null,
    id: row?.id ?? null,
    reason,
    message,
  });
  if (!head) return result(brokenAt('head_missing', null, 'audit_chain_head has no single row'));

  for (;;) {
    const rows = (await run(
      `SELECT ${CHAIN_COLUMNS_SQL} FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [expectedSeq, PAGE],
    )) as ChainRow[];
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq > head.seq) {
        return result(brokenAt('beyond_head', row, `row ${seq} lies past the head (${head.seq})`));
      }
      if (seq !== expectedSeq) {
        return result(
          brokenAt('seq_gap', row, `expected seq ${expectedSeq}, found ${seq}: rows are missing`),
        );
      }
      if (row.prev_hash !== prevHash) {
        return result(
          brokenAt('prev_hash_mismatch', row, `seq ${seq} does not link to the row before it`),
        );
      }
      if (row.hash !== chainHash(prevHash, contentOf(row, seq))) {
        return result(
          brokenAt('hash_mismatch', row, `seq ${seq} was changed after it was written`),
        );
      }
      checked += 1;
      prevHash = row.hash;
      expectedSeq = seq + 1;
    }
    if (rows.length < PAGE) break;
  }
  // Rows with a seq below 1 or none at all are not reachable by the walk: count them apart.
  const strays = (await run(
    `SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL OR seq < 1`,
  )) as Array<{ n: number }>;
  if ((strays[0]?.n ?? 0) > 0) {
    return result(brokenAt('seq_gap', null, `${strays[0].n} rows have no valid seq`));
  }
  if (expectedSeq - 1 !== head.seq || prevHash !== head.hash) {
    return result(
      brokenAt(
        'head_mismatch',
        null,
        `the chain ends at seq ${expectedSeq - 1} but the head says ${head.seq}: rows were removed from or added to the end`,
      ),
    );
  }
  return result(null);
}
