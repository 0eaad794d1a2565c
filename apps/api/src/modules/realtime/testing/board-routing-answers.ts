import type { BoardSeed } from '../board.repository';

/**
 * What PostgreSQL answers the board's two routing reads (`board.repository.ts`) for these
 * sessions, each assigned to the listed clinicians: every session its own patient, monitored,
 * every assignment open-ended, the assignments' version steady. The seed read finds each session
 * as `seeds` has it, or with nothing stored yet. For unit tests that give `BoardService` a data
 * source of their own.
 */
export function routingAnswers(
  assigned: Record<string, string[]>,
  seeds: Record<string, Partial<BoardSeed>> = {},
): (sql: string) => Promise<unknown[]> {
  const patientOf = (id: string) => `patient-of-${id}`;
  const sessions = Object.keys(assigned).map((id) => ({
    id,
    state: 'monitoring',
    patientId: patientOf(id),
    assignmentsVersion: '0',
  }));
  const windows = Object.entries(assigned).flatMap(([id, clinicians]) =>
    clinicians.map((clinicianId) => ({
      patientId: patientOf(id),
      clinicianId,
      from: 0,
      until: null,
    })),
  );
  const seedRows = Object.keys(assigned).map((sessionId) => {
    const { headSeq, ...seed } = seeds[sessionId] ?? {};
    return {
      sessionId,
      headSeq: String(headSeq ?? 0),
      presence: 'unknown',
      lastCheckInAt: null,
      lastMessage: null,
      openAlerts: [],
      readings: [],
      ...seed,
    };
  });
  return (sql) => {
    if (sql.includes('session_latest_readings')) return Promise.resolve(seedRows);
    return Promise.resolve(
      sql.includes('clinician_assignments a') ? [{ version: '0', windows }] : sessions,
    );
  };
}
