import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  type SessionContacts,
  type SessionEventsResponse,
  type SessionSummary,
  sessionContactsSchema,
  sessionEventsResponseSchema,
  sessionSummarySchema,
} from '@vigil/contracts';
import { Ctx, type RequestContext } from '../../common/request-context';
import { SessionId } from '../../common/session-id.pipe';
import { SessionsService } from './sessions.service';
import { ApiReturns } from '../../common/api-responses';
import { z } from 'zod';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiReturns(200, z.array(sessionSummarySchema))
  @ApiQuery({
    name: 'state',
    required: false,
    description: '`live` or a comma-separated list of states',
  })
  list(@Ctx() ctx: RequestContext, @Query('state') state?: string): Promise<SessionSummary[]> {
    return this.sessions.list(ctx, state);
  }

  @Get(':id')
  @ApiReturns(200, sessionSummarySchema)
  get(@Ctx() ctx: RequestContext, @SessionId() id: string): Promise<SessionSummary> {
    return this.sessions.get(ctx, id);
  }

  @Get(':id/contacts')
  @ApiReturns(200, sessionContactsSchema)
  contacts(@Ctx() ctx: RequestContext, @SessionId() id: string): Promise<SessionContacts> {
    return this.sessions.contacts(ctx, id);
  }

  @Get(':id/events')
  @ApiReturns(200, sessionEventsResponseSchema)
  @ApiQuery({ name: 'after', required: false })
  @ApiQuery({ name: 'limit', required: false })
  events(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
  ): Promise<SessionEventsResponse> {
    return this.sessions.readEvents(ctx, id, after, limit);
  }
}
