import { z } from 'zod';

/** Building blocks shared by the response schemas (responses.ts, supervisor-responses.ts). */
export const dateTime = z.iso.datetime();
export const uuid = z.uuid();
export const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
export const ref = z.strictObject({ id: uuid, name: z.string() });
export const priorityCounts = z.strictObject({
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  info: z.number().int(),
});

/** Compile-time only: a schema's output is exactly the interface the code uses. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Expect<T extends true> = T;
export type Out<S extends z.ZodType> = z.output<S>;
