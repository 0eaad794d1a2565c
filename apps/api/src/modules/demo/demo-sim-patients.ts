import type { EntityManager } from 'typeorm';

/**
 * The simulated patients of the live demo (`apps/simulator` logs in as them): sim01..sim12,
 * each assigned to clinician@vigil.demo with one session in `scheduled`. The simulator moves
 * them through screening, dose and monitoring over the public API, at staggered stages.
 */
export const SIMULATED_PATIENT_NAMES = [
  'Alex Moreno',
  'Bea Okafor',
  'Chris Lindqvist',
  'Dana Petrov',
  'Eli Nakamura',
  'Fran Oduya',
  'Gabe Rossi',
  'Hana Kowalski',
  'Ivo Mendes',
  'Jo Adeyemi',
  'Kai Fischer',
  'Lena Haddad',
] as const;

export const simulatedPatientEmail = (index: number) =>
  `sim${String(index + 1).padStart(2, '0')}@vigil.demo`;

/**
 * The display name of simulated patient `index`: the named dozen first, then first and last
 * names combined (unique for the first 144), numbered beyond that.
 */
export function simulatedPatientName(index: number): string {
  if (index < SIMULATED_PATIENT_NAMES.length) return SIMULATED_PATIENT_NAMES[index];
  const count = SIMULATED_PATIENT_NAMES.length;
  // A shift of 1..11 never pairs a first name with its own last name (the named dozen).
  const shift = Math.floor(index / count) % count;
  const first = SIMULATED_PATIENT_NAMES[index % count].split(' ')[0];
  const last = SIMULATED_PATIENT_NAMES[(index + shift) % count].split(' ')[1];
  return index < count * count ? `${first} ${last}` : `${first} ${last} ${index + 1}`;
}

/**
 * Inserts the simulated patients `indices` (each: account, patient record, assignment to the
 * demo clinician, one session in `scheduled`) in the caller's transaction.
 */
export async function insertSimulatedPatients(
  manager: EntityManager,
  ids: { clinician: string; supervisor: string },
  protocolId: string,
  passwordHash: string,
  now: Date,
  indices: readonly number[],
): Promise<void> {
  for (const i of indices) {
    const name = simulatedPatientName(i);
    const [user]: Array<{ id: string }> = await manager.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, 'patient', $3) RETURNING id`,
      [simulatedPatientEmail(i), name, passwordHash],
    );
    // Record baselines vary a little; the session's own screening becomes its baseline anyway.
    const [patient]: Array<{ id: string }> = await manager.query(
      `INSERT INTO patients (user_id, date_of_birth, baseline_sbp, baseline_dbp, baseline_hr, support_name, support_phone, phone, notes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'simulated patient (apps/simulator)') RETURNING id`,
      [
        user.id,
        `19${70 + ((i * 7) % 30)}-0${1 + (i % 9)}-1${i % 10}`,
        116 + ((i * 5) % 20),
        72 + ((i * 3) % 12),
        64 + ((i * 4) % 20),
        `Support for ${name.split(' ')[0]}`,
        // Ofcom's range for fiction (07700 900000-900999): never a real person's number.
        `+44 7700 900${String((100 + i) % 1000).padStart(3, '0')}`,
        `+44 7700 900${String((500 + i) % 1000).padStart(3, '0')}`,
      ],
    );
    await manager.query(
      `INSERT INTO clinician_assignments (clinician_id, patient_id, valid_from, created_by) VALUES ($1, $2, $3, $4)`,
      [ids.clinician, patient.id, new Date(now.getTime() - 24 * 3600_000), ids.supervisor],
    );
    await manager.query(
      `INSERT INTO sessions (patient_id, clinician_id, protocol_id, state, scheduled_for)
       VALUES ($1, $2, $3, 'scheduled', $4)`,
      [patient.id, ids.clinician, protocolId, now],
    );
  }
}
