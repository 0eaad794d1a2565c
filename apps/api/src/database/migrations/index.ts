import { InitialSchema1764190000000 } from './1764190000000-initial-schema';
import { DevicePresence1764190000001 } from './1764190000001-device-presence';
import { ClinicalEngine1764190000002 } from './1764190000002-clinical-engine';
import { AuditChain1764190000003 } from './1764190000003-audit-chain';
import { AuthHardening1764190000010 } from './1764190000010-auth-hardening';
import { Devices1764190010000 } from './1764190010000-devices';
import { ClinicalV21764190020000 } from './1764190020000-clinical-v2';
import { PatientPhone1764190030000 } from './1764190030000-patient-phone';
import { AlertsByCondition1764190040100 } from './1764190040100-alerts-by-condition';
import { LatestReadings1764190050000 } from './1764190050000-latest-readings';
import { AppendLock1764190060000 } from './1764190060000-append-lock';
import { AuditAppend1764190070000 } from './1764190070000-audit-append';
import { AppendGroup1764190080000 } from './1764190080000-append-group';
import { AssignmentsVersion1764190090000 } from './1764190090000-assignments-version';
import { DeploymentId1764190100000 } from './1764190100000-deployment-id';
import { AppendLiveOnly1764190110000 } from './1764190110000-append-live-only';
import { SeedIndexes1764190120000 } from './1764190120000-seed-indexes';
import { AuditPatientsShown1764190130000 } from './1764190130000-audit-patients-shown';
import { SessionLiveSince1764190140000 } from './1764190140000-session-live-since';

/** Every migration in order; the app, the CLI and the tests all run this same list. */
export const MIGRATIONS = [
  InitialSchema1764190000000,
  DevicePresence1764190000001,
  ClinicalEngine1764190000002,
  AuditChain1764190000003,
  AuthHardening1764190000010,
  Devices1764190010000,
  ClinicalV21764190020000,
  PatientPhone1764190030000,
  AlertsByCondition1764190040100,
  LatestReadings1764190050000,
  AppendLock1764190060000,
  AuditAppend1764190070000,
  AppendGroup1764190080000,
  AssignmentsVersion1764190090000,
  DeploymentId1764190100000,
  AppendLiveOnly1764190110000,
  SeedIndexes1764190120000,
  AuditPatientsShown1764190130000,
  SessionLiveSince1764190140000,
];
