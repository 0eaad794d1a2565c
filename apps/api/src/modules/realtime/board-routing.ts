import type { EntityManager } from 'typeorm';
import {
  readAssignmentWindows,
  readSessionRouting,
  type AssignmentWindow,
  type SessionRouting,
} from './board.repository';

/** Where a session's board summary goes: its state and the clinicians assigned to it now. */
export interface BoardRouting {
  id: string;
  state: string;
  clinicians: string[];
}

/**
 * Each flush's routing, with the assignments read only when they may have changed. The state is
 * read every flush (by primary key: about 1 ms for 500 sessions); each session's assignment
 * windows are kept from the last read and judged at the flush's `now`, so an assignment that
 * starts or ends on its own schedule takes effect on time. Any change to `clinician_assignments`,
 * made by any instance or by hand, moves the version that the state's read returns from the same
 * snapshot, and the next flush reads them all again: a clinician whose assignment ended gets no
 * further summary of that patient's sessions from the first flush that sees it, as when every
 * flush read them (reading them was 15 % of PostgreSQL's statement time at 2,000 x 20).
 */
export class BoardRoutingCache {
  /** The assignments' version the windows are as of; null: none to trust. */
  private version: string | null = null;
  /** session id -> the windows of its patient's assignments. */
  private readonly windows = new Map<string, AssignmentWindow[]>();

  constructor(private readonly manager: Pick<EntityManager, 'query'>) {}

  async read(sessionIds: string[], now: Date): Promise<BoardRouting[]> {
    const sessions = await readSessionRouting(this.manager, sessionIds);
    if (sessions.length === 0) return [];
    const version = sessions[0].assignmentsVersion;
    if (version !== this.version) {
      this.windows.clear();
      this.version = version;
    }
    const windows = new Map<string, AssignmentWindow[]>();
    const missing: SessionRouting[] = [];
    for (const s of sessions) {
      const kept = this.windows.get(s.id);
      if (kept) windows.set(s.id, kept);
      else missing.push(s);
    }
    if (missing.length > 0) {
      const patients = [...new Set(missing.map((s) => s.patientId))];
      const read = await readAssignmentWindows(this.manager, patients, now);
      // Kept only if nothing moved meanwhile: neither the assignments between the two reads,
      // nor the version another flush (they can overlap under load) has seen since.
      const keep = read.version === version && this.version === version;
      for (const s of missing) {
        const found = read.byPatient.get(s.patientId) ?? [];
        windows.set(s.id, found);
        if (keep) this.windows.set(s.id, found);
      }
      // Changed between the two reads: this flush is as of its start (as one query was), and
      // the next reads everything again.
      if (read.version !== version && this.version === version) this.version = null;
    }
    const at = now.getTime();
    return sessions.map((s) => ({
      id: s.id,
      state: s.state,
      clinicians: (windows.get(s.id) ?? [])
        .filter((w) => w.from <= at && (w.until === null || w.until > at))
        .map((w) => w.clinicianId),
    }));
  }

  /** A session the board no longer tracks (ended or aborted). */
  forget(sessionId: string): void {
    this.windows.delete(sessionId);
  }
}
