import { NotFoundException, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';

const idSchema = z.uuid();

/**
 * A malformed id names nothing: 404 `<what>: not found`, exactly like an id that does not exist
 * (a malformed one is not a different answer). Ids are compared as text downstream (rooms,
 * watches), so they pass on in one spelling, lower case.
 */
export class IdPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!idSchema.safeParse(value).success) throw new NotFoundException(`${this.what}: not found`);
    return value.toLowerCase();
  }
}
