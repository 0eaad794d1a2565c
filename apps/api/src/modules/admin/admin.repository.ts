import type { EntityManager } from 'typeorm';
import { ClinicianAssignmentEntity } from '../patients/clinician-assignment.entity';
import { PatientEntity } from '../patients/patient.entity';
import { SessionEntity } from '../sessions/session.entity';
import { UserEntity } from '../users/user.entity';

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

export function insertScheduledSession(
  manager: EntityManager,
  session: Pick<SessionEntity, 'patientId' | 'clinicianId' | 'protocolId' | 'scheduledFor'>,
): Promise<SessionEntity> {
  return manager.getRepository(SessionEntity).save({
    ...session,
    state: 'scheduled',
    dosedAt: null,
    endedAt: null,
    headSeq: 0,
  });
}
