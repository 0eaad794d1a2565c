import { bootstrapSupervisor } from '../apps/api/src/modules/accounts/bootstrap-supervisor';
import { AuditService } from '../apps/api/src/modules/audit/audit.service';
import { PasswordService } from '../apps/api/src/modules/auth/password.service';
import { auditRows, login } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

describe('creating the first supervisor of a production database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const deps = () => ({
    dataSource: t.dataSource,
    passwords: t.app.get(PasswordService),
    audit: t.app.get(AuditService),
  });

  it('creates exactly one, who can log in, audited; a second is refused', async () => {
    const attempts = await Promise.allSettled([
      bootstrapSupervisor(deps(), {
        email: 'Boss@Example.org',
        name: 'First Boss',
        password: 'a-long-enough-secret',
      }),
      bootstrapSupervisor(deps(), {
        email: 'other@example.org',
        name: 'Other',
        password: 'a-long-enough-secret',
      }),
    ]);
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(attempts.filter((a) => a.status === 'rejected').map((a) => String(a.reason))).toEqual([
      expect.stringMatching(/an active supervisor exists/),
    ]);
    const winner = (
      attempts.find((a) => a.status === 'fulfilled') as PromiseFulfilledResult<string>
    ).value;
    const [{ email }] = await t.dataSource.query(`SELECT email FROM users WHERE id = $1`, [winner]);
    const session = await login(t.url, { email }, 'a-long-enough-secret');
    expect(session.user).toMatchObject({ id: winner, role: 'supervisor' });
    expect(
      await auditRows(t.dataSource, { action: 'account.bootstrap', entityId: winner }),
    ).toHaveLength(1);
  });

  it('refuses a short password', async () => {
    await expect(
      bootstrapSupervisor(deps(), { email: 'x@example.org', name: 'X', password: 'short' }),
    ).rejects.toThrow(/at least 12/);
  });
});
