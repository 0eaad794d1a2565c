import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SessionEventsResponse, SessionSummary } from '@vigil/contracts';
import { Ctx, type RequestContext } from '../../common/request-context';
import { SessionIdPipe } from '../../common/session-id.pipe';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiQuery({
    name: 'state',
    required: false,
    description: '`live` or a comma-separated list of states',
  })
  list(@Ctx() ctx: RequestContext, @Query('state') state?: string): Promise<SessionSummary[]> {
    return this.sessions.list(ctx, state);
  }

  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id', SessionIdPipe) id: string): Promise<SessionSummary> {
    return this.sessions.get(ctx, id);
  }

  @Get(':id/events')
  @ApiQuery({ name: 'after', required: false })
  @ApiQuery({ name: 'limit', required: false })
  events(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
  ): Promise<SessionEventsResponse> {
    return this.sessions.readEvents(ctx, id, after, limit);
  }
}
