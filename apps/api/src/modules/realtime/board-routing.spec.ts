import type { DataSource } from 'typeorm';
import { BoardRoutingCache } from './board-routing';

/**
 * A database of one session and its patient's assignments, answering the cache's two reads as
 * PostgreSQL does (the version with each), and counting the assignments' reads.
 */
function database() {
  const db = {
    version: 1,
    state: 'monitoring',
    windows: [] as Array<{ clinicianId: string; from: number; until: number | null }>,
    assignmentReads: 0,
    /** Runs between the state's read and the assignments' read: a change committed meanwhile. */
    between: () => undefined as void,
    /** Holds the assignments' answer (as of when it was asked) until it resolves: a slow read. */
    gate: null as Promise<void> | null,
    query: async (sql: string): Promise<unknown[]> => {
      if (!sql.includes('clinician_assignments a')) {
        const row = {
          id: 's1',
          state: db.state,
          patientId: 'p1',
          assignmentsVersion: `${db.version}`,
        };
        return [row];
      }
      db.between();
      db.assignmentReads += 1;
      const windows = db.windows.map((w) => ({ patientId: 'p1', ...w }));
      const answer = [{ version: `${db.version}`, windows }];
      const gate = db.gate;
      db.gate = null;
      await gate;
      return answer;
    },
  };
  return db;
}

const at = (ms: number) => new Date(ms);
const cacheOver = (db: ReturnType<typeof database>) =>
  new BoardRoutingCache(db as unknown as DataSource);
const cliniciansAt = async (cache: BoardRoutingCache, ms: number) =>
  (await cache.read(['s1'], at(ms)))[0].clinicians;

describe('BoardRoutingCache', () => {
  it('reads the assignments once while their version holds, and the state every time', async () => {
    const db = database();
    db.windows = [{ clinicianId: 'c1', from: 0, until: null }];
    const cache = cacheOver(db);
    expect(await cache.read(['s1'], at(1000))).toEqual([
      { id: 's1', state: 'monitoring', clinicians: ['c1'] },
    ]);
    db.state = 'recovery';
    expect(await cache.read(['s1'], at(2000))).toEqual([
      { id: 's1', state: 'recovery', clinicians: ['c1'] },
    ]);
    expect(db.assignmentReads).toBe(1);
  });

  it('judges the windows at each read: an assignment starts and ends on its own time', async () => {
    const db = database();
    db.windows = [
      { clinicianId: 'c1', from: 0, until: null },
      { clinicianId: 'c2', from: 5000, until: 9000 },
    ];
    const cache = cacheOver(db);
    expect(await cliniciansAt(cache, 4999)).toEqual(['c1']);
    expect(await cliniciansAt(cache, 5000)).toEqual(['c1', 'c2']);
    expect(await cliniciansAt(cache, 8999)).toEqual(['c1', 'c2']);
    expect(await cliniciansAt(cache, 9000)).toEqual(['c1']);
    expect(db.assignmentReads).toBe(1);
  });

  it('reads them again once the version has moved: a new clinician is added, an ended one gone', async () => {
    const db = database();
    db.windows = [{ clinicianId: 'c1', from: 0, until: null }];
    const cache = cacheOver(db);
    expect(await cliniciansAt(cache, 1000)).toEqual(['c1']);
    db.windows = [
      { clinicianId: 'c1', from: 0, until: 1500 },
      { clinicianId: 'c2', from: 0, until: null },
    ];
    db.version += 1;
    expect(await cliniciansAt(cache, 2000)).toEqual(['c2']);
    expect(db.assignmentReads).toBe(2);
  });

  it('reads them again at the next flush when they changed between its two reads', async () => {
    const db = database();
    db.windows = [{ clinicianId: 'c1', from: 0, until: null }];
    db.between = () => {
      db.windows = [{ clinicianId: 'c2', from: 0, until: null }];
      db.version += 1;
      db.between = () => undefined;
    };
    const cache = cacheOver(db);
    expect(await cliniciansAt(cache, 1000)).toEqual(['c2']);
    expect(await cliniciansAt(cache, 2000)).toEqual(['c2']);
    expect(db.assignmentReads).toBe(2);
    expect(await cliniciansAt(cache, 3000)).toEqual(['c2']);
    expect(db.assignmentReads).toBe(2);
  });

  it('keeps nothing from a slow read that another flush has passed (flushes can overlap)', async () => {
    const db = database();
    db.windows = [{ clinicianId: 'c1', from: 0, until: null }];
    const cache = cacheOver(db);
    let release = () => undefined as void;
    db.gate = new Promise<void>((resolve) => (release = resolve));
    const slow = cliniciansAt(cache, 1000);
    await new Promise((resolve) => setImmediate(resolve));
    // Meanwhile the assignments change and a second flush reads and keeps them.
    db.windows = [{ clinicianId: 'c2', from: 0, until: null }];
    db.version += 1;
    expect(await cliniciansAt(cache, 1000)).toEqual(['c2']);
    release();
    expect(await slow).toEqual(['c1']); // as of its own start
    expect(await cliniciansAt(cache, 2000)).toEqual(['c2']);
    expect(db.assignmentReads).toBe(2);
  });

  it("reads a forgotten (ended) session's assignments again if it comes back", async () => {
    const db = database();
    const cache = cacheOver(db);
    await cache.read(['s1'], at(1000));
    cache.forget('s1');
    await cache.read(['s1'], at(2000));
    expect(db.assignmentReads).toBe(2);
  });
});
