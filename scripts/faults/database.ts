// The fault run's PostgreSQL scenarios: the API's connections terminated, stalled both ways,
// their answers lost and then reset, and forgotten by the network. Run by main.ts's scenario
// runner, in this order, against the stall proxy every instance reaches the database through.
import type { DataSource } from 'typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONNECTION_DEAD_AFTER_MS } from '../../apps/api/src/modules/health/pool-doctor';
import type { StallProxy } from '../../test/support/stall-proxy';
import { probesDuringStall, type Instance } from './cluster';
import { waitUntil, type Ledger } from './load';
import { fmt, type Scenario } from './report';

export interface DatabaseFaults {
  /** The runner's own connection, not through the proxy. */
  ds: DataSource;
  proxy: StallProxy;
  ledger: Ledger;
  /** The instance whose readiness and metrics (on `metricsPort`) are asked during a stall. */
  a: Instance;
  metricsPort: number;
  stallMs: number;
  /** How long the load runs after a fault heals. */
  afterMs: number;
}

export async function databaseScenarios(
  scenario: Scenario,
  { ds, proxy, ledger, a, metricsPort, stallMs, afterMs }: DatabaseFaults,
): Promise<void> {
  await scenario('pg_terminate_backend of the API connections', async () => {
    const [{ n }]: Array<{ n: string }> = await ds.query(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND application_name NOT LIKE 'faults%' AND backend_type = 'client backend'`,
    );
    return { healedAt: Date.now(), note: `${n} connections terminated` };
  });

  // Holds the database (`both` ways, or only its `answers`) for stallMs, then heals it; says how
  // many connections it held, what A's readiness and metrics answered and what the phones were
  // told meanwhile (a phone that hears nothing waits out its 10 s ack timeout before it sends
  // again).
  const stallDatabase = async (what: 'both' | 'answers', heal: () => void) => {
    const held = proxy.connections;
    const before = new Map(ledger.refusals);
    proxy.stall(what);
    const [probes] = await Promise.all([probesDuringStall(a, metricsPort), sleep(stallMs)]);
    heal();
    const told = [...ledger.refusals]
      .map(([code, n]) => [code, n - (before.get(code) ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .map(([code, n]) => `${code} ${n}`);
    return `${held} connections held, ${probes}; refusals during the stall: ${told.join(', ') || 'none'}`;
  };

  await scenario(`PostgreSQL stalls ${stallMs / 1000} s, then answers`, async () => ({
    note: await stallDatabase('both', () => proxy.resume()),
    healedAt: Date.now(),
  }));

  await scenario(
    `PostgreSQL answers lost ${stallMs / 1000} s, then its connections reset`,
    async () => {
      const unconfirmed0 = ledger.firstAnsweredDuplicate;
      const stalled = await stallDatabase('answers', () => proxy.reset());
      // Counted once the load is over: the retries of what committed unconfirmed come after.
      const healedAt = Date.now();
      await sleep(afterMs);
      const unconfirmed = ledger.firstAnsweredDuplicate - unconfirmed0;
      return {
        healedAt,
        note: `${stalled}; then reset, ${unconfirmed} stored during the stall, unconfirmed, first answered "duplicate" on a retry`,
      };
    },
  );

  await scenario('PostgreSQL connections forgotten (a NAT dropped them)', async () => {
    // Nothing closed, nothing through the open connections ever again; new ones pass (a NAT or
    // firewall that forgot them, a managed failover): the pools must replace theirs.
    const held = proxy.connections;
    proxy.abandon();
    const lostAt = Date.now();
    // Recovery is counted from when the instances could have known: the connections answer
    // nothing for CONNECTION_DEAD_AFTER_MS before any is called dead.
    await sleep(CONNECTION_DEAD_AFTER_MS);
    const acksAgain = await waitUntil(
      'acknowledgements again',
      () => ledger.ackTimes.some((t) => t > lostAt + CONNECTION_DEAD_AFTER_MS),
      30_000,
    );
    return {
      healedAt: lostAt + CONNECTION_DEAD_AFTER_MS,
      note: `${held} connections abandoned, new ones pass; acknowledged again ${fmt(CONNECTION_DEAD_AFTER_MS + acksAgain)} s in`,
    };
  });
}
