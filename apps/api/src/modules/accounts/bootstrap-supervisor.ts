import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { PasswordPolicy } from '../auth/password-policy';
import type { PasswordService } from '../auth/password.service';

/**
 * The first supervisor of a production database (which has no demo accounts). Refused once an
 * active supervisor exists: from then on accounts are made through the admin API, audited.
 */
export async function bootstrapSupervisor(
  deps: {
    dataSource: DataSource;
    passwords: PasswordService;
    audit: AuditService;
    policy?: PasswordPolicy;
  },
  input: { email: string; name: string; password: string },
): Promise<string> {
  if (input.password.length < 12) throw new Error('password must be at least 12 characters');
  const problem = deps.policy?.problem(input.password, input);
  if (problem) throw new Error(`password ${problem}`);
  const hash = await deps.passwords.hash(input.password);
  return deps.dataSource.transaction(async (manager) => {
    // Serialise concurrent bootstraps so exactly one wins.
    await manager.query(`LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`);
    const existing: unknown[] = await manager.query(
      `SELECT 1 FROM users WHERE role = 'supervisor' AND active`,
    );
    if (existing.length > 0) {
      throw new Error('an active supervisor exists: create accounts through POST /api/admin/staff');
    }
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, 'supervisor', $3) RETURNING id`,
      [input.email.trim().toLowerCase(), input.name.trim(), hash],
    );
    await deps.audit.append(
      [
        {
          actorId: null,
          actorRole: 'system',
          action: 'account.bootstrap',
          entityType: 'user',
          entityId: row.id,
          patientId: null,
          outcome: 'success',
          ip: null,
          userAgent: 'create-supervisor',
        },
      ],
      manager,
    );
    return row.id;
  });
}
