import { HttpException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { LoginResponse, TokenPair } from '@vigil/contracts';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { CLOCK, type Clock } from '../../common/clock';
import type { AuthUser } from '../../common/request-context';
import { AuditService, type AuditEntry } from '../audit/audit.service';
import { DenialAudit } from '../audit/denial-audit';
import type { UserEntity } from './user.entity';
import { AccountEvents } from './account-events';
import { LoginThrottle } from './login-throttle';
import { PasswordService } from './password.service';
import {
  bumpTokenVersion,
  familyIsLive,
  findUserByEmail,
  findUserById,
  insertRefreshToken,
  lockRefreshToken,
  markRotated,
  readAccessHolder,
  readAccessHolders,
  revokeFamily,
  revokeRefreshTokensOf,
} from './auth.repository';
import type { RefreshTokenEntity } from './refresh-token.entity';

interface AccessClaims {
  sub: string;
  role: string;
  tv: number;
  exp: number;
  /** Refresh-token family (one login): a detected reuse ends its access tokens too. */
  fam?: string;
}

export interface Origin {
  ip: string | null;
  userAgent: string | null;
  /** The login throttle's key for this client (see clientAddress); defaults to ip. */
  client?: string | null;
}

export type AuthenticatedUser = AuthUser & {
  expiresAt: number;
  familyId: string | null;
  /** The account's token version the token was issued at (a logout or deactivation bumps it). */
  tokenVersion: number;
};

/** Who holds an access token, as a live socket remembers it from its handshake. */
export type AccessHolder = Pick<AuthenticatedUser, 'id' | 'familyId' | 'tokenVersion'>;

/**
 * Whether an account still admits a token issued at `tokenVersion` whose login is (or is not)
 * still live: the one rule `authenticate` (one token) and `stillValid` (every live socket) share.
 */
function admits(
  account: { active: boolean; tokenVersion: number },
  tokenVersion: number,
  familyLive: boolean,
): boolean {
  return account.active && account.tokenVersion === tokenVersion && familyLive;
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
    private readonly throttle: LoginThrottle,
    private readonly denials: DenialAudit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async login(email: string, password: string, origin: Origin): Promise<LoginResponse> {
    const account = email.trim().toLowerCase();
    const client = origin.client ?? origin.ip ?? 'unknown';
    const waitMs = await this.throttle.lockedFor(account, client);
    if (waitMs > 0) {
      this.denials.record(
        this.entry(null, 'auth.login_throttled', 'denied', origin, { reason: 'backoff', account }),
      );
      throw new HttpException(
        `email: too many failed sign-ins from this address; try again in ${Math.ceil(waitMs / 1000)} s or ask a supervisor to clear the lockout`,
        429,
      );
    }
    const user = await findUserByEmail(this.dataSource.manager, account);
    const ok = await this.passwords.verify(user?.passwordHash ?? null, password);
    if (!user || !ok || !user.active) {
      const { lockMs, failures } = await this.throttle.failed(account, client);
      await this.audit.append([
        this.entry(user, 'auth.login', 'denied', origin, {
          reason: !user ? 'unknown_account' : !ok ? 'bad_password' : 'inactive',
          ...(lockMs > 0 ? { lockoutMs: lockMs, failures } : {}),
        }),
      ]);
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    await this.throttle.succeeded(account, client);
    const pair = await this.dataSource.transaction(async (manager) => {
      const tokens = await this.issuePair(user, randomUUID(), this.clock.now(), manager);
      await this.audit.append([this.entry(user, 'auth.login', 'success', origin)], manager);
      return tokens;
    });
    return { ...pair, user: { id: user.id, role: user.role, name: user.name } };
  }

  async refresh(refreshToken: string, origin: Origin): Promise<TokenPair> {
    const result = await this.dataSource.transaction(async (manager) => {
      const token = await lockRefreshToken(manager, sha256(refreshToken));
      if (!token) return null;
      const user = await findUserById(manager, token.userId);
      const now = this.clock.now();
      const startedAt = token.familyStartedAt ?? token.createdAt;
      if (token.revokedAt) {
        if (await this.inGrace(token, now, manager)) {
          // Another tab of the same login rotated it a moment ago: a sibling, not a theft.
          if (!user || !user.active) return null;
          const pair = await this.issuePair(user, token.familyId, startedAt, manager);
          await this.audit.append(
            [this.entry(user, 'auth.refresh', 'success', origin, { grace: true })],
            manager,
          );
          return pair;
        }
        // A rotated token used again means it leaked: end the whole family, access tokens and
        // sockets included (they carry the family id).
        await revokeFamily(manager, token.familyId, now);
        await this.audit.append(
          [this.entry(user, 'auth.refresh_reuse', 'denied', origin)],
          manager,
        );
        return { reuse: { userId: token.userId, familyId: token.familyId } };
      }
      if (token.expiresAt <= now || !user || !user.active) return null;
      if (now.getTime() - startedAt.getTime() >= this.config.SESSION_MAX_AGE_SECONDS * 1000) {
        await this.audit.append(
          [this.entry(user, 'auth.refresh', 'denied', origin, { reason: 'session_max_age' })],
          manager,
        );
        return null;
      }
      await markRotated(manager, token.id, now);
      const pair = await this.issuePair(user, token.familyId, startedAt, manager);
      await this.audit.append([this.entry(user, 'auth.refresh', 'success', origin)], manager);
      return pair;
    });
    if (result !== null && 'reuse' in result) {
      this.accountEvents.publish({ type: 'family.revoked', ...result.reuse });
      throw new UnauthorizedException('refreshToken: invalid or expired');
    }
    if (result === null) throw new UnauthorizedException('refreshToken: invalid or expired');
    return result;
  }

  /** A token revoked by rotation moments ago, in a family still alive (not logged out, not killed). */
  private async inGrace(
    token: RefreshTokenEntity,
    now: Date,
    manager: EntityManager,
  ): Promise<boolean> {
    if (!token.rotatedAt) return false;
    if (now.getTime() - token.rotatedAt.getTime() > this.config.REFRESH_REUSE_GRACE_SECONDS * 1000)
      return false;
    return familyIsLive(manager, token.familyId);
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
      await bumpTokenVersion(manager, userId);
      await revokeRefreshTokensOf(manager, userId, this.clock.now());
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

  /** Revokes every refresh token of an account, in the caller's transaction (deactivation). */
  revokeRefreshTokensWithin(manager: EntityManager, userId: string): Promise<void> {
    return revokeRefreshTokensOf(manager, userId, this.clock.now());
  }

  /** Verifies an access token and the account behind it; null when either is no longer good. */
  async authenticate(token: string | undefined | null): Promise<AuthenticatedUser | null> {
    if (!token || typeof token !== 'string') return null;
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    // jsonwebtoken checks exp only when present: a token without one would never expire. Ours
    // always carry it, so one without (made with a leaked secret, say) is refused (issue 13).
    if (typeof (claims as { exp?: unknown }).exp !== 'number') return null;
    const user = await readAccessHolder(this.dataSource.manager, claims.sub, claims.fam ?? null);
    if (!user) return null;
    const account = { active: user.active, tokenVersion: user.token_version };
    if (!admits(account, claims.tv, user.family_live)) return null;
    return {
      id: user.id,
      role: user.role,
      name: user.name,
      expiresAt: claims.exp * 1000,
      familyId: claims.fam ?? null,
      tokenVersion: claims.tv,
    };
  }

  /**
   * Whether each holder's token would still pass `authenticate` as far as the account goes
   * (active, same token version, login not revoked), in one read for all; expiry is the caller's
   * own timer. Same order as `holders`.
   */
  async stillValid(holders: readonly AccessHolder[]): Promise<boolean[]> {
    if (holders.length === 0) return [];
    const families = holders.flatMap((h) => (h.familyId ? [h.familyId] : []));
    const { users, liveFamilies } = await readAccessHolders(
      this.dataSource.manager,
      [...new Set(holders.map((h) => h.id))],
      [...new Set(families)],
    );
    return holders.map((h) => {
      const account = users.get(h.id);
      const familyLive = h.familyId === null || liveFamilies.has(h.familyId);
      return account !== undefined && admits(account, h.tokenVersion, familyLive);
    });
  }

  /** A new pair in a family; neither outlives the family's absolute lifetime. */
  private async issuePair(
    user: UserEntity,
    familyId: string,
    familyStartedAt: Date,
    manager: EntityManager,
  ): Promise<TokenPair> {
    const now = this.clock.now().getTime();
    const endOfLogin = familyStartedAt.getTime() + this.config.SESSION_MAX_AGE_SECONDS * 1000;
    const accessSeconds = Math.max(
      1,
      Math.min(this.config.ACCESS_TOKEN_TTL_SECONDS, Math.floor((endOfLogin - now) / 1000)),
    );
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, role: user.role, tv: user.tokenVersion, fam: familyId },
      { algorithm: 'HS256', expiresIn: accessSeconds },
    );
    const refreshToken = randomBytes(32).toString('base64url');
    await insertRefreshToken(manager, {
      userId: user.id,
      familyId,
      familyStartedAt,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Math.min(now + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000, endOfLogin)),
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
