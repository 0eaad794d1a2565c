import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { DECORATORS } from '@nestjs/swagger';
import { z } from 'zod';
import { ValidBody } from './valid-body';

const noteSchema = z.strictObject({
  note: z.string({ error: 'must be a string' }),
  kind: z.enum(['a', 'b']).default('a'),
});

class Routes {
  create(@ValidBody(noteSchema) body: unknown) {
    return body;
  }
  maybe(
    @ValidBody(z.strictObject({ note: z.string().optional() }), { optional: true }) body: unknown,
  ) {
    return body;
  }
}

/** The pipe Nest runs on a route's body, as the decorator registered it. */
function bodyPipe(route: keyof Routes): PipeTransform {
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Routes, route) as Record<
    string,
    { pipes: PipeTransform[] }
  >;
  const [pipe] = Object.values(args)[0].pipes;
  return pipe;
}

function documented(route: keyof Routes): unknown[] {
  return Reflect.getMetadata(DECORATORS.API_PARAMETERS, Routes.prototype[route]) as unknown[];
}

const meta = { type: 'body' } as const;

describe('ValidBody', () => {
  it('documents the body from the schema a client sends (a defaulted field is optional)', () => {
    expect(documented('create')).toEqual([
      expect.objectContaining({
        in: 'body',
        required: true,
        schema: z.toJSONSchema(noteSchema, { io: 'input' }),
      }),
    ]);
    expect(z.toJSONSchema(noteSchema, { io: 'input' }).required).toEqual(['note']);
  });

  it('validates with the same schema: a 400 naming the field, the parsed body otherwise', () => {
    const pipe = bodyPipe('create');
    expect(pipe.transform({ note: 'hi' }, meta)).toEqual({ note: 'hi', kind: 'a' });
    expect(() => pipe.transform({ note: 3 }, meta)).toThrow(
      new BadRequestException('note: must be a string'),
    );
    expect(() => pipe.transform(undefined, meta)).toThrow('body: must be a JSON object');
  });

  it('an optional body may be left out, and is documented as optional', () => {
    const pipe = bodyPipe('maybe');
    expect(pipe.transform(undefined, meta)).toEqual({});
    expect(pipe.transform(null, meta)).toEqual({});
    expect(() => pipe.transform([], meta)).toThrow('body: must be a JSON object');
    expect(documented('maybe')).toEqual([expect.objectContaining({ in: 'body', required: false })]);
  });
});
