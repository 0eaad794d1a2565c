import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/request-context';
import { UserEntity } from './user.entity';
import { RefreshTokenEntity } from './refresh-token.entity';

export function findUserByEmail(manager: EntityManager, email: string): Promise<UserEntity | null> {
  return manager.getRepository(UserEntity).findOne({ where: { email } });
}

export function findUserById(manager: EntityManager, id: string): Promise<UserEntity | null> {
  return manager.getRepository(UserEntity).findOne({ where: { id } });
}

/** The refresh token with this hash, row-locked for the rest of the transaction. */
export function lockRefreshToken(
  manager: EntityManager,
  tokenHash: string,
): Promise<RefreshTokenEntity | null> {
  return manager
    .getRepository(RefreshTokenEntity)
    .createQueryBuilder('t')
    .setLock('pessimistic_write')
    .where('t.token_hash = :h', { h: tokenHash })
    .getOne();
}

/** Whether any token of this family (one login) is still unrevoked. */
export async function familyIsLive(manager: EntityManager, familyId: string): Promise<boolean> {
  const live = await manager
    .getRepository(RefreshTokenEntity)
    .createQueryBuilder('t')
    .where('t.family_id = :f AND t.revoked_at IS NULL', { f: familyId })
    .getCount();
  return live > 0;
}

export async function revokeFamily(
  manager: EntityManager,
  familyId: string,
  at: Date,
): Promise<void> {
  await manager.getRepository(RefreshTokenEntity).update({ familyId }, { revokedAt: at });
}

/** Revoked because it was exchanged for a new pair (the grace for a sibling tab counts from here). */
export async function markRotated(
  manager: EntityManager,
  tokenId: string,
  at: Date,
): Promise<void> {
  await manager
    .getRepository(RefreshTokenEntity)
    .update({ id: tokenId }, { revokedAt: at, rotatedAt: at });
}

export async function insertRefreshToken(
  manager: EntityManager,
  token: Pick<
    RefreshTokenEntity,
    'userId' | 'familyId' | 'familyStartedAt' | 'tokenHash' | 'expiresAt'
  >,
): Promise<void> {
  await manager.getRepository(RefreshTokenEntity).insert(token);
}

/** Invalidates every access token of the account (they carry the old version). */
export async function bumpTokenVersion(manager: EntityManager, userId: string): Promise<void> {
  await manager.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [userId]);
}

export async function revokeRefreshTokensOf(
  manager: EntityManager,
  userId: string,
  at: Date,
): Promise<void> {
  await manager.query(
    `UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
    [userId, at],
  );
}

/** What an access token's check needs: the account, and whether its login family is alive. */
export async function readAccessHolder(
  manager: EntityManager,
  userId: string,
  familyId: string | null,
): Promise<
  | (Pick<AuthUser, 'id' | 'role' | 'name'> & {
      active: boolean;
      token_version: number;
      family_live: boolean;
    })
  | null
> {
  const rows: Array<{
    id: string;
    role: AuthUser['role'];
    name: string;
    active: boolean;
    token_version: number;
    family_live: boolean;
  }> = await manager.query(
    `SELECT u.id, u.role, u.name, u.active, u.token_version,
            ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM refresh_tokens t
              WHERE t.family_id = $2::uuid AND t.revoked_at IS NULL)) AS family_live
       FROM users u WHERE u.id = $1`,
    [userId, familyId],
  );
  return rows[0] ?? null;
}

/**
 * For many access holders at once (the live sockets of an instance): each account's state and
 * token version, and which of the families (logins) still hold an unrevoked refresh token. The
 * same facts `readAccessHolder` reads for one, in two index scans for all.
 */
export async function readAccessHolders(
  manager: EntityManager,
  userIds: readonly string[],
  familyIds: readonly string[],
): Promise<{
  users: Map<string, { active: boolean; tokenVersion: number }>;
  liveFamilies: Set<string>;
}> {
  const users: Array<{ id: string; active: boolean; token_version: number }> = await manager.query(
    `SELECT id, active, token_version FROM users WHERE id = ANY($1::uuid[])`,
    [userIds],
  );
  const families: Array<{ family_id: string }> = familyIds.length
    ? await manager.query(
        `SELECT DISTINCT family_id FROM refresh_tokens
          WHERE family_id = ANY($1::uuid[]) AND revoked_at IS NULL`,
        [familyIds],
      )
    : [];
  return {
    users: new Map(
      users.map((u) => [u.id, { active: u.active, tokenVersion: u.token_version }] as const),
    ),
    liveFamilies: new Set(families.map((f) => f.family_id)),
  };
}
