import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
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
import { Ctx, type RequestContext } from '../../common/request-context';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { DevicesService } from './devices.service';
import { ApiReturns } from '../../common/api-responses';

/** A malformed id names nothing: 404, like an id that does not exist. */
const patientIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new NotFoundException('patient: not found'),
});
const deviceIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new NotFoundException('device: not found'),
});

/** An empty body is a revocation without a reason. */
const optionalRevokeBody = new ZodValidationPipe(revokeDeviceSchema);

@ApiTags('devices')
@ApiBearerAuth()
@Controller('patients/:patientId/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @ApiReturns(201, deviceCredentialResponseSchema)
  @ApiBody({ schema: z.toJSONSchema(pairDeviceSchema) as object })
  pair(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) patientId: string,
    @Body(new ZodValidationPipe(pairDeviceSchema)) body: PairDeviceRequest,
  ): Promise<DeviceCredentialResponse> {
    return this.devices.pair(ctx, patientId.toLowerCase(), body);
  }

  @Get()
  @ApiReturns(200, z.array(deviceSummarySchema))
  list(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) patientId: string,
  ): Promise<DeviceSummary[]> {
    return this.devices.list(ctx, patientId.toLowerCase());
  }

  @Post(':deviceId/revoke')
  @ApiReturns(200, deviceSummarySchema)
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(revokeDeviceSchema) as object, required: false })
  revoke(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) patientId: string,
    @Param('deviceId', deviceIdPipe) deviceId: string,
    @Body() body: unknown,
  ): Promise<DeviceSummary> {
    const parsed: RevokeDeviceRequest =
      body === undefined || body === null ? {} : optionalRevokeBody.transform(body);
    return this.devices.revoke(ctx, patientId.toLowerCase(), deviceId.toLowerCase(), parsed);
  }

  @Post(':deviceId/rotate')
  @ApiReturns(200, deviceCredentialResponseSchema)
  @HttpCode(200)
  rotate(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) patientId: string,
    @Param('deviceId', deviceIdPipe) deviceId: string,
  ): Promise<DeviceCredentialResponse> {
    return this.devices.rotate(ctx, patientId.toLowerCase(), deviceId.toLowerCase());
  }
}
