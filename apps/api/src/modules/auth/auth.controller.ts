import { Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  loginSchema,
  refreshSchema,
  type LoginRequest,
  type LoginResponse,
  type RefreshRequest,
  type TokenPair,
  loginResponseSchema,
  tokenPairSchema,
} from '@vigil/contracts';
import { clientAddress } from '../../common/client-address';
import { contextFromRequest, type AuthenticatedRequest } from '../../common/request-context';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ValidBody } from '../../common/valid-body';
import { AuthService } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { NoRateLimit } from '../rate-limit/rest-limits';
import { Public } from './public.decorator';
import { ApiNoContent, PostOk } from '../../common/api-responses';

function origin(req: AuthenticatedRequest) {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  // Its own per-address limit (LoginThrottlerGuard, sized to the simulation in the demo) rather
  // than the routine REST budget, which would count each attempt twice.
  @NoRateLimit()
  @UseGuards(LoginThrottlerGuard)
  @PostOk('login', loginResponseSchema)
  login(
    @ValidBody(loginSchema) body: LoginRequest,
    @Req() req: AuthenticatedRequest,
  ): Promise<LoginResponse> {
    return this.auth.login(body.email, body.password, {
      ...origin(req),
      client: clientAddress(req, this.config.TRUSTED_PROXY_HOPS),
    });
  }

  @Public()
  @PostOk('refresh', tokenPairSchema)
  refresh(
    @ValidBody(refreshSchema) body: RefreshRequest,
    @Req() req: AuthenticatedRequest,
  ): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken, origin(req));
  }

  @Post('logout')
  @ApiNoContent()
  @HttpCode(204)
  @ApiBearerAuth()
  async logout(@Req() req: AuthenticatedRequest): Promise<void> {
    const ctx = contextFromRequest(req);
    await this.auth.logout(ctx.user, ctx);
  }
}
