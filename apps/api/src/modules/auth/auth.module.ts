import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { clientAddress } from '../../common/client-address';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuditModule } from '../audit/audit.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { RestThrottlerGuard } from '../rate-limit/rest-throttler.guard';
import { AccountEvents } from './account-events';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { LoginThrottle } from './login-throttle';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { PasswordPolicy } from './password-policy';
import { PasswordService } from './password.service';

@Module({
  imports: [
    AuditModule,
    RateLimitModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.JWT_SECRET }),
    }),
    // Login is throttled per source address here (spraying one password across accounts), and
    // per account and address with backoff in LoginThrottle (guessing one account's password).
    // There is no per-account limit across addresses: it would let anyone lock a clinician out.
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          {
            name: 'login-ip',
            ttl: 60_000,
            limit: config.LOGIN_RATE_LIMIT_PER_MINUTE * 3,
            getTracker: (req) => clientAddress(req as Request, config.TRUSTED_PROXY_HOPS),
          },
        ],
        errorMessage: 'login: too many attempts, wait a minute and try again',
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    PasswordService,
    PasswordPolicy,
    LoginThrottle,
    LoginThrottlerGuard,
    AccountEvents,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    // After JwtAuthGuard (same module, listed after it): the limit is per account, so the
    // account must be known first.
    { provide: APP_GUARD, useExisting: RestThrottlerGuard },
  ],
  exports: [AuthService, PasswordService, PasswordPolicy, LoginThrottle, AccountEvents],
})
export class AuthModule {}
