import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { isDeviceCredential } from '@vigil/contracts';
import type { Request } from 'express';
import { DenialAudit, routeDenial } from '../../audit/denial-audit';
import { DeviceAuthService, type DeviceIdentity } from '../device-auth.service';

export type DeviceRequest = Request & { device?: DeviceIdentity };

/**
 * The FHIR ingest routes take a device credential, never a user's access token (those routes are
 * `@Public()` to the JWT guard and guarded here instead). A revoked or rotated credential is
 * refused on its next request.
 */
@Injectable()
export class DeviceAuthGuard implements CanActivate {
  constructor(
    private readonly auth: DeviceAuthService,
    private readonly denials: DenialAudit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<DeviceRequest>();
    const match = /^Bearer ([^\s]+)$/i.exec(req.get('authorization') ?? '');
    if (!match || !isDeviceCredential(match[1])) {
      // No device credential at all (none, or a user's token): audited like any other route's
      // 401, repeats coalesced; a credential that fails its check is audited by DeviceAuthService.
      this.denials.record(
        routeDenial(req, null, 'device.auth', {
          reason: match ? 'not_a_device_credential' : 'missing',
        }),
      );
      throw new UnauthorizedException(
        'Authorization: a device credential (Bearer vgd_...) is required on this route',
      );
    }
    const device = await this.auth.authenticate(match[1], {
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
    });
    if (!device)
      throw new UnauthorizedException(
        'Authorization: device credential invalid, rotated or revoked',
      );
    req.device = device;
    return true;
  }
}
