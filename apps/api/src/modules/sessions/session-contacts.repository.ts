import type { SessionContacts } from '@vigil/contracts';
import type { EntityManager } from 'typeorm';
import { readScreenedSupportPerson } from '../events/event-reads';

interface ContactRow {
  patient_name: string;
  patient_phone: string | null;
  record_support_name: string | null;
  record_support_phone: string | null;
}

const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : null;

/**
 * The numbers to call about one session: the patient's from their record, the support person's
 * from this session's latest screening (what was attested today) or else from the record.
 */
export async function readSessionContacts(
  manager: EntityManager,
  sessionId: string,
): Promise<SessionContacts> {
  const [row]: ContactRow[] = await manager.query(
    `SELECT u.name AS patient_name, p.phone AS patient_phone,
            p.support_name AS record_support_name, p.support_phone AS record_support_phone
       FROM sessions s
       JOIN patients p ON p.id = s.patient_id
       JOIN users u ON u.id = p.user_id
      WHERE s.id = $1`,
    [sessionId],
  );
  const screening = await readScreenedSupportPerson(manager, sessionId);
  const screened = text(screening?.phone);
  const recorded = text(row.record_support_phone);
  return {
    patient: { name: row.patient_name, phone: text(row.patient_phone) },
    supportPerson: screened
      ? { name: text(screening?.name), phone: screened, from: 'screening' }
      : {
          name: text(row.record_support_name),
          phone: recorded,
          from: recorded ? 'record' : null,
        },
  };
}
