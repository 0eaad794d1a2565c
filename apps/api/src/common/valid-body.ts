import { Body } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodValidationPipe } from './zod-validation.pipe';

export interface ValidBodyOptions {
  /** The body may be left out: an absent body is an empty one (`{}`), documented as optional. */
  optional?: boolean;
}

/**
 * The request body, validated against its contract schema (400 naming each offending field) and
 * documented in OpenAPI from that same schema, so a route names its schema once. Nest has no
 * decorator that does both: the body is a parameter and its documentation a method decorator,
 * so this applies `ApiBody` to the method the parameter belongs to.
 */
export function ValidBody(schema: z.ZodType, options: ValidBodyOptions = {}): ParameterDecorator {
  const body = Body(new ZodValidationPipe(schema, options));
  const documented = ApiBody({
    // What a client sends: a field with a default may be left out.
    schema: z.toJSONSchema(schema, { io: 'input' }) as object,
    ...(options.optional ? { required: false } : {}),
  });
  return (target, method, index) => {
    body(target, method, index);
    if (method === undefined) throw new Error('ValidBody belongs on a route parameter');
    const route = Object.getOwnPropertyDescriptor(target, method);
    if (!route) throw new Error(`ValidBody: no route ${String(method)}`);
    documented(target, method, route);
  };
}
