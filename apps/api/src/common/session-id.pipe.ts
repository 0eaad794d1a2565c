import { Param } from '@nestjs/common';
import { IdPipe } from './id.pipe';

/** `:id` of a session route: a malformed session id names no session (404). */
export class SessionIdPipe extends IdPipe {
  constructor() {
    super('session');
  }
}

/** The session a `sessions/:id/...` route is about, checked by `SessionIdPipe`. */
export const SessionId = (): ParameterDecorator => Param('id', SessionIdPipe);
