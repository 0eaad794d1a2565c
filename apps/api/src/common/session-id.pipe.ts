import { NotFoundException, type PipeTransform } from '@nestjs/common';
import { sessionIdSchema } from '@vigil/contracts';

/** A malformed session id names no session: 404, exactly like an id that does not exist. */
export class SessionIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!sessionIdSchema.safeParse(value).success)
      throw new NotFoundException('session: not found');
    return value.toLowerCase();
  }
}
