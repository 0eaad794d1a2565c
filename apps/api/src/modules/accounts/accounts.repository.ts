import type { EntityManager } from 'typeorm';
import { ClinicianAssignmentEntity } from './clinician-assignment.entity';
import { PatientEntity } from './patient.entity';
import { UserEntity } from '../auth/user.entity';

/** Whether an account already uses this (normalised) email. */
export async function emailTaken(manager: EntityManager, email: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM users WHERE email = $1`, [email]);
  return rows.length > 0;
}

export function insertUser(
  manager: EntityManager,
  user: Pick<UserEntity, 'email' | 'name' | 'role' | 'passwordHash'>,
): Promise<UserEntity> {
  return manager
    .getRepository(UserEntity)
    .save({ ...user, active: true, tokenVersion: 0, deactivatedAt: null });
}

export function insertPatient(
  manager: EntityManager,
  patient: Omit<PatientEntity, 'id' | 'createdAt' | 'phone'>,
): Promise<PatientEntity> {
  return manager.getRepository(PatientEntity).save(patient);
}

export async function isActiveClinician(manager: EntityManager, id: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM users WHERE id = $1 AND role = 'clinician' AND active`,
    [id],
  );
  return rows.length > 0;
}

/** The patient record of a patient's account (null for staff), for its audit rows. */
export async function patientOfUser(
  manager: EntityManager,
  userId: string,
): Promise<string | null> {
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT id FROM patients WHERE user_id = $1`,
    [userId],
  );
  return rows[0]?.id ?? null;
}

export async function patientExists(manager: EntityManager, id: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM patients WHERE id = $1`, [id]);
  return rows.length > 0;
}

export function insertAssignment(
  manager: EntityManager,
  assignment: Pick<
    ClinicianAssignmentEntity,
    'clinicianId' | 'patientId' | 'validFrom' | 'validUntil' | 'createdBy'
  >,
): Promise<ClinicianAssignmentEntity> {
  return manager.getRepository(ClinicianAssignmentEntity).save(assignment);
}

/** One assignment, row-locked for the rest of the transaction. */
export function lockAssignment(
  manager: EntityManager,
  id: string,
): Promise<ClinicianAssignmentEntity | null> {
  return manager
    .getRepository(ClinicianAssignmentEntity)
    .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

export async function saveAssignment(
  manager: EntityManager,
  assignment: ClinicianAssignmentEntity,
): Promise<void> {
  await manager.getRepository(ClinicianAssignmentEntity).save(assignment);
}

export function listAssignments(manager: EntityManager): Promise<ClinicianAssignmentEntity[]> {
  return manager.getRepository(ClinicianAssignmentEntity).find({ order: { createdAt: 'ASC' } });
}

/** One account, row-locked for the rest of the transaction. */
export function lockUser(manager: EntityManager, id: string): Promise<UserEntity | null> {
  return manager
    .getRepository(UserEntity)
    .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

export async function saveUser(manager: EntityManager, user: UserEntity): Promise<void> {
  await manager.getRepository(UserEntity).save(user);
}

export function findUser(manager: EntityManager, id: string): Promise<UserEntity | null> {
  return manager.getRepository(UserEntity).findOne({ where: { id } });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function userNames(
  manager: EntityManager,
  ids: readonly string[],
): Promise<Map<string, string>> {
  // Ids come from event data: anything that is not a UUID names nobody (and must not reach a cast).
  const valid = ids.filter((id) => UUID.test(id));
  if (valid.length === 0) return new Map();
  const rows: Array<{ id: string; name: string }> = await manager.query(
    `SELECT id, name FROM users WHERE id = ANY($1::uuid[])`,
    [[...new Set(valid)]],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
