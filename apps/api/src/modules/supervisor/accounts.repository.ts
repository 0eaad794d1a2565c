import type { EntityManager } from 'typeorm';
import type { AccountWithHistory } from '@vigil/contracts';

interface AccountRow {
  id: string;
  email: string;
  name: string;
  role: string;
  active: boolean;
  created_at: Date;
  deactivated_at: Date | null;
  patient_id: string | null;
}

interface AssignmentRow {
  id: string;
  clinician_id: string;
  patient_id: string;
  clinician_name: string;
  patient_name: string;
  patient_user_id: string;
  valid_from: Date;
  valid_until: Date | null;
}

/** Every account with its assignment history (ended ones too), staff first, then by name. */
export async function listAccounts(manager: EntityManager): Promise<AccountWithHistory[]> {
  const accounts: AccountRow[] = await manager.query(
    `SELECT u.id, u.email, u.name, u.role, u.active, u.created_at, u.deactivated_at,
            p.id AS patient_id
       FROM users u LEFT JOIN patients p ON p.user_id = u.id
      ORDER BY array_position(ARRAY['supervisor','clinician','patient'], u.role), u.name, u.id`,
  );
  const assignments: AssignmentRow[] = await manager.query(
    `SELECT a.id, a.clinician_id, a.patient_id, cu.name AS clinician_name, pu.name AS patient_name,
            p.user_id AS patient_user_id, a.valid_from, a.valid_until
       FROM clinician_assignments a
       JOIN users cu ON cu.id = a.clinician_id
       JOIN patients p ON p.id = a.patient_id
       JOIN users pu ON pu.id = p.user_id
      ORDER BY a.valid_from, a.id`,
  );
  const byUser = new Map<string, AccountWithHistory['assignments']>();
  const push = (userId: string, entry: AccountWithHistory['assignments'][number]) => {
    const list = byUser.get(userId) ?? [];
    list.push(entry);
    byUser.set(userId, list);
  };
  for (const a of assignments) {
    const base = {
      id: a.id,
      clinicianId: a.clinician_id,
      patientId: a.patient_id,
      validFrom: a.valid_from.toISOString(),
      validUntil: a.valid_until?.toISOString() ?? null,
    };
    push(a.clinician_id, { ...base, otherName: a.patient_name });
    push(a.patient_user_id, { ...base, otherName: a.clinician_name });
  }
  return accounts.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    createdAt: u.created_at.toISOString(),
    deactivatedAt: u.deactivated_at?.toISOString() ?? null,
    patientId: u.patient_id,
    assignments: byUser.get(u.id) ?? [],
  }));
}
