import { ConcurrentIndexesMigration } from './frozen/concurrent-index';

/**
 * The audit log's patient filter finds a list read by the patients it showed
 * (`detail.patientIds`, one row per read, not one per patient: a dashboard lists its sessions
 * every 15 s), as fast as by `patient_id`. `jsonb_path_ops` answers only `@>`, which is all the
 * filter asks, in a smaller index; rows without the key (most) index nothing but a null. Built
 * concurrently: every audited action appends to this table.
 */
export class AuditPatientsShown1764190130000 extends ConcurrentIndexesMigration {
  name = 'AuditPatientsShown1764190130000';
  protected indexes = [
    [
      'audit_events_patients_shown',
      `ON audit_events USING gin ((detail->'patientIds') jsonb_path_ops)`,
    ],
  ] as const;
}
