import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { describeIssues } from '@vigil/contracts';
import type { z } from 'zod';

/**
 * Validates a request body (or query) against a contract schema: 400 naming each offending field.
 * With `optional`, an absent body is an empty one.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly options: { optional?: boolean } = {},
  ) {}

  transform(value: unknown): z.infer<S> {
    if ((value === undefined || value === null) && this.options.optional) value = {};
    if (
      value === undefined ||
      value === null ||
      typeof value !== 'object' ||
      Array.isArray(value)
    ) {
      throw new BadRequestException('body: must be a JSON object');
    }
    const result = this.schema.safeParse(value);
    if (!result.success) throw new BadRequestException(describeIssues(result.error));
    return result.data;
  }
}
