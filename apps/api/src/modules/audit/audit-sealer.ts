import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { backgroundInterval } from '../../common/background-interval';
import { CHAIN_COLUMNS_SQL, chainHash, contentOf, type ChainRow } from './audit-hash';
import type { SqlRunner } from './audit-verify';

/** Rows chained by one statement; a larger backlog takes several pages in one pass. */
const PAGE = 2000;
/** How often a running instance chains what has committed since (the bound on a row's wait). */
export const SEAL_INTERVAL_MS = 200;

/**
 * Chains up to `limit` committed, unsealed audit rows, in id order, after the head: locks the
 * head, hashes each row as read back from the database (what the verifier reads), and sets the
 * rows' seq, prev_hash, hash and sealed_at and moves the head in one statement. Must run in a
 * transaction of its own, which the head's lock lasts until: sealers on several instances take
 * turns. Returns how many rows it chained.
 *
 * A row inserted by a transaction that commits later than a row with a higher id simply gets a
 * later seq: the chain's order is the order rows were sealed in, never a gap.
 */
export async function sealAuditPage(run: SqlRunner, limit = PAGE): Promise<number> {
  const [head] = (await run(`SELECT seq, hash FROM audit_chain_head FOR UPDATE`)) as Array<{
    seq: string;
    hash: string;
  }>;
  if (!head) throw new Error('audit_chain_head is missing: run the migrations');
  const rows = (await run(
    `SELECT ${CHAIN_COLUMNS_SQL} FROM audit_events WHERE seq IS NULL ORDER BY id LIMIT $1`,
    [limit],
  )) as ChainRow[];
  if (rows.length === 0) return 0;
  let seq = Number(head.seq);
  let prev = head.hash;
  const seqs: number[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  for (const row of rows) {
    seq += 1;
    const hash = chainHash(prev, contentOf(row, seq));
    seqs.push(seq);
    prevs.push(prev);
    hashes.push(hash);
    prev = hash;
  }
  // The head moves only if every row was sealed, so the head and the rows cannot disagree. A
  // SELECT at the top, so every runner (TypeORM answers an UPDATE with its count) returns rows.
  const moved = await run(
    `WITH sealed AS (
       UPDATE audit_events a
          SET seq = k.seq, prev_hash = k.prev_hash, hash = k.hash, sealed_at = clock_timestamp()
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS k(id, seq, prev_hash, hash)
        WHERE a.id = k.id AND a.seq IS NULL
       RETURNING 1)
     , head AS (
       UPDATE audit_chain_head SET seq = $5, hash = $6, updated_at = now()
        WHERE (SELECT count(*) FROM sealed) = $7
       RETURNING seq)
     SELECT seq FROM head`,
    [rows.map((r) => r.id), seqs, prevs, hashes, seq, prev, rows.length],
  );
  if (moved.length !== 1) throw new Error('audit rows changed while they were sealed');
  return rows.length;
}

/**
 * Chains the audit trail after commit (docs/ARCHITECTURE.md, "Audit chain"): every 200 ms, and
 * at once for whoever needs the chain up to now (verification, the log viewer, the FHIR export's
 * trail). At start it chains what a stopped instance left; at shutdown what is left of its own.
 * Written here because the chain is ours: no library seals a hash chain in PostgreSQL.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditSealer');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private queued: Promise<number> | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = backgroundInterval(SEAL_INTERVAL_MS, () => this.sealNow(), this.logger, 'seal');
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sealNow().catch((err: Error) => this.logger.error(`seal failed: ${err.message}`));
  }

  /**
   * Resolves once every audit row committed before the call is chained, with the number of rows
   * the pass chained. Passes run one at a time; callers that arrive while one runs share the next.
   */
  sealNow(): Promise<number> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    this.queued = this.running
      .catch(() => 0)
      .then(() => {
        this.queued = null;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<number> {
    const pass = this.pass().finally(() => {
      if (this.running === pass) this.running = null;
    });
    this.running = pass;
    return pass;
  }

  private async pass(): Promise<number> {
    // One cheap look first, so an idle instance does not lock the head five times a second.
    const [pending] = await this.dataSource.query<Array<{ any: boolean }>>(
      `SELECT EXISTS (SELECT 1 FROM audit_events WHERE seq IS NULL) AS any`,
    );
    if (!pending?.any) return 0;
    let total = 0;
    for (;;) {
      const sealed = await this.dataSource.transaction((m) =>
        sealAuditPage((sql, params) => m.query(sql, params)),
      );
      total += sealed;
      if (sealed < PAGE) return total;
    }
  }
}
