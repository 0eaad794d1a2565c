// What the database says after a scenario, against what the clients were told.
import type { DataSource } from 'typeorm';
import type { Ledger, Watcher } from './load';

export interface Stored {
  acked: number;
  stored: number;
  lost: number;
  duplicates: number;
  gaps: number;
}

/** Acked vs stored for one scenario's clientIds (they all start with `${tag}-`). */
export async function verify(
  ds: DataSource,
  ledger: Ledger,
  tag: string,
  sessionIds: string[],
): Promise<Stored> {
  const rows: Array<{ client_id: string; n: string; seqs: string[] }> = await ds.query(
    `SELECT client_id, count(*) AS n, array_agg(seq::text) AS seqs FROM session_events
      WHERE client_id LIKE $1 GROUP BY client_id`,
    [`${tag}-%`],
  );
  const stored = new Map(rows.map((r) => [r.client_id, r]));
  let acked = 0;
  let lost = 0;
  let duplicates = ledger.seqMismatches;
  for (const [clientId, seq] of ledger.acked) {
    if (!clientId.startsWith(`${tag}-`)) continue;
    acked++;
    const row = stored.get(clientId);
    if (!row) lost++;
    else if (!row.seqs.includes(String(seq))) duplicates++; // acked a seq that is not its row
  }
  for (const r of rows) if (Number(r.n) > 1) duplicates += Number(r.n) - 1;
  // Gapless per-session seq: 1..head with nothing missing, for every session of the run.
  const [gap]: Array<{ gaps: string }> = await ds.query(
    `SELECT coalesce(sum(s.head_seq - c.n), 0) AS gaps FROM sessions s
       JOIN (SELECT session_id, count(*) AS n, max(seq) AS top FROM session_events
              WHERE session_id = ANY($1::uuid[]) GROUP BY session_id) c ON c.session_id = s.id`,
    [sessionIds],
  );
  return {
    acked,
    stored: rows.length,
    lost,
    duplicates,
    gaps: Number(gap.gaps),
  };
}

export async function heads(ds: DataSource, sessionIds: string[]): Promise<Map<string, number>> {
  const rows: Array<{ id: string; head_seq: string }> = await ds.query(
    `SELECT id, head_seq FROM sessions WHERE id = ANY($1::uuid[])`,
    [sessionIds],
  );
  return new Map(rows.map((r) => [r.id, Number(r.head_seq)]));
}

/** Milliseconds until every board equals the database (head read again each poll), or null. */
export async function convergence(
  ds: DataSource,
  watchers: Watcher[],
  sessionIds: string[],
  timeoutMs: number,
): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const h = await heads(ds, sessionIds);
    if (watchers.every((w) => w.behind(h) === 0)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

/**
 * Time from `from` until ingest is back: the first one-second window whose acknowledgements reach
 * 80 % of the load, or null when that never happened before `until`.
 */
export function recoveryMs(
  ackTimes: number[],
  from: number,
  until: number,
  perSecond: number,
): number | null {
  const times = ackTimes.filter((t) => t >= from && t <= until).sort((a, b) => a - b);
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[j] < times[i] - 1000) j++;
    if (i - j + 1 >= 0.8 * perSecond) return Math.max(0, times[i] - 1000 - from);
  }
  return null;
}
