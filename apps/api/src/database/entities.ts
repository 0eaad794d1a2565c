import { RefreshTokenEntity } from '../modules/auth/refresh-token.entity';
import { ClinicianAssignmentEntity } from '../modules/accounts/clinician-assignment.entity';
import { PatientEntity } from '../modules/accounts/patient.entity';
import { ProtocolEntity } from '../modules/protocols/protocol.entity';
import { SessionEntity } from '../modules/sessions/session.entity';
import { UserEntity } from '../modules/auth/user.entity';

/** Tables mapped as entities; the event log and the audit trail are written with plain SQL. */
export const ENTITIES = [
  UserEntity,
  RefreshTokenEntity,
  PatientEntity,
  ClinicianAssignmentEntity,
  ProtocolEntity,
  SessionEntity,
];
