import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { LoginResponse, TokenPair } from '@vigil/contracts';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { CLOCK, type Clock } from '../../common/clock';
import type { AuthUser } from '../../common/request-context';
import { AuditService, type AuditEntry } from '../audit/audit.service';
import { UserEntity } from '../users/user.entity';
import { AccountEvents } from './account-events';
import { PasswordService } from './password.service';
import { RefreshTokenEntity } from './refresh-token.entity';

interface AccessClaims {
  sub: string;
  role: string;
  tv: number;
  exp: number;
}

export interface Origin {
  ip: string | null;
  userAgent: string | null;
}

const BAD_CREDENTIALS = 'email or password is incorrect';

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Short-lived access JWTs (HS256 only: `alg: none` and other algorithms are refused) carrying
 * the account's token version, and rotating opaque refresh tokens stored as hashes. Every check
 * re-reads the account, so deactivation and logout take effect on the next request.
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly accountEvents: AccountEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async login(email: string, password: string, origin: Origin): Promise<LoginResponse> {
    const users = this.dataSource.getRepository(UserEntity);
    const user = await users.findOne({ where: { email: email.trim().toLowerCase() } });
    const ok = await this.passwords.verify(user?.passwordHash ?? null, password);
    if (!user || !ok || !user.active) {
      await this.audit.append([
        this.entry(user, 'auth.login', 'denied', origin, {
          reason: !user ? 'unknown_account' : !ok ? 'bad_password' : 'inactive',
        }),
      ]);
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    const pair = await this.dataSource.transaction(async (manager) => {
      const tokens = await this.issuePair(
        user,
        randomUUID(),
        manager.getRepository(RefreshTokenEntity),
      );
      await this.audit.append([this.entry(user, 'auth.login', 'success', origin)], manager);
      return tokens;
    });
    return { ...pair, user: { id: user.id, role: user.role, name: user.name } };
  }

  async refresh(refreshToken: string, origin: Origin): Promise<TokenPair> {
    const result = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(RefreshTokenEntity);
      const token = await repo
        .createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.token_hash = :h', { h: sha256(refreshToken) })
        .getOne();
      if (!token) return null;
      const user = await manager.getRepository(UserEntity).findOne({ where: { id: token.userId } });
      const now = this.clock.now();
      if (token.revokedAt) {
        // A rotated token used again means it leaked: end the whole family.
        await repo.update({ familyId: token.familyId }, { revokedAt: now });
        await this.audit.append(
          [this.entry(user, 'auth.refresh_reuse', 'denied', origin)],
          manager,
        );
        return 'reuse' as const;
      }
      if (token.expiresAt <= now || !user || !user.active) return null;
      await repo.update({ id: token.id }, { revokedAt: now });
      const pair = await this.issuePair(user, token.familyId, repo);
      await this.audit.append([this.entry(user, 'auth.refresh', 'success', origin)], manager);
      return pair;
    });
    if (result === null || result === 'reuse')
      throw new UnauthorizedException('refreshToken: invalid or expired');
    return result;
  }

  async logout(user: AuthUser, origin: Origin): Promise<void> {
    await this.endAllSessionsOf(user.id, origin, 'auth.logout', user);
    this.accountEvents.publish({ type: 'user.logged_out', userId: user.id });
  }

  /** Revokes every token of an account: refresh tokens now, access tokens by version bump. */
  async endAllSessionsOf(
    userId: string,
    origin: Origin,
    action: string,
    actor: AuthUser,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [
        userId,
      ]);
      await manager.query(
        `UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
        [userId, this.clock.now()],
      );
      await this.audit.append(
        [
          {
            actorId: actor.id,
            actorRole: actor.role,
            action,
            entityType: 'user',
            entityId: userId,
            patientId: null,
            outcome: 'success',
            ip: origin.ip,
            userAgent: origin.userAgent,
          },
        ],
        manager,
      );
    });
  }

  /** Verifies an access token and the account behind it; null when either is no longer good. */
  async authenticate(
    token: string | undefined | null,
  ): Promise<(AuthUser & { expiresAt: number }) | null> {
    if (!token || typeof token !== 'string') return null;
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ where: { id: claims.sub } });
    if (!user || !user.active || user.tokenVersion !== claims.tv) return null;
    return { id: user.id, role: user.role, name: user.name, expiresAt: claims.exp * 1000 };
  }

  private async issuePair(
    user: UserEntity,
    familyId: string,
    repo: ReturnType<DataSource['getRepository']>,
  ): Promise<TokenPair> {
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, role: user.role, tv: user.tokenVersion },
      { algorithm: 'HS256', expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS },
    );
    const refreshToken = randomBytes(32).toString('base64url');
    await repo.insert({
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(
        this.clock.now().getTime() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000,
      ),
    });
    return { accessToken, refreshToken };
  }

  private entry(
    user: UserEntity | null,
    action: string,
    outcome: AuditEntry['outcome'],
    origin: Origin,
    detail?: Record<string, unknown>,
  ): AuditEntry {
    return {
      actorId: user?.id ?? null,
      actorRole: user?.role ?? null,
      action,
      entityType: 'user',
      entityId: user?.id ?? null,
      patientId: null,
      outcome,
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail,
    };
  }
}
