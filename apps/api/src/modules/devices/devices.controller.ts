import { Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  pairDeviceSchema,
  revokeDeviceSchema,
  type DeviceCredentialResponse,
  type DeviceSummary,
  type PairDeviceRequest,
  type RevokeDeviceRequest,
  deviceCredentialResponseSchema,
  deviceSummarySchema,
} from '@vigil/contracts';
import { z } from 'zod';
import { IdPipe } from '../../common/id.pipe';
import { Ctx, type RequestContext } from '../../common/request-context';
import { ValidBody } from '../../common/valid-body';
import { DevicesService } from './devices.service';
import { ApiReturns, PostOk } from '../../common/api-responses';

const patientIdPipe = new IdPipe('patient');
const deviceIdPipe = new IdPipe('device');

@ApiTags('devices')
@ApiBearerAuth()
@Controller('patients/:patientId/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @ApiReturns(201, deviceCredentialResponseSchema)
  pair(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) patientId: string,
    @ValidBody(pairDeviceSchema) body: PairDeviceRequest,
  ): Promise<DeviceCredentialResponse> {
    return this.devices.pair(ctx, patientId, body);
  }

  @Get()
  @ApiReturns(200, z.array(deviceSummarySchema))
  list(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) patientId: string,
  ): Promise<DeviceSummary[]> {
    return this.devices.list(ctx, patientId);
  }

  @PostOk(':deviceId/revoke', deviceSummarySchema)
  revoke(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) patientId: string,
    @Param('deviceId', deviceIdPipe) deviceId: string,
    // An absent body is a revocation without a reason.
    @ValidBody(revokeDeviceSchema, { optional: true }) body: RevokeDeviceRequest,
  ): Promise<DeviceSummary> {
    return this.devices.revoke(ctx, patientId, deviceId, body);
  }

  @PostOk(':deviceId/rotate', deviceCredentialResponseSchema)
  rotate(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) patientId: string,
    @Param('deviceId', deviceIdPipe) deviceId: string,
  ): Promise<DeviceCredentialResponse> {
    return this.devices.rotate(ctx, patientId, deviceId);
  }
}
