import { applyDecorators, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiDefaultResponse, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { errorBodySchema } from '@vigil/contracts';
import { z } from 'zod';
import { RetryStatusInterceptor } from './retry-status.interceptor';

/** A contract schema (libs/contracts/src/responses.ts) as OpenAPI 3.0 describes it. */
export function openApiSchema(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'output' }) as SchemaObject;
}

const defaultResponse = (schema: z.ZodType, contentType: string) =>
  ApiDefaultResponse({
    description: 'Any error, naming the field when the request is at fault',
    content: { [contentType]: { schema: openApiSchema(schema) } },
  });
const errorResponse = defaultResponse(errorBodySchema, 'application/json');

export interface ApiReturnsOptions {
  /** The report route also answers CSV when asked for it. */
  csv?: boolean;
  /** FHIR routes answer application/fhir+json, and their errors as an OperationOutcome. */
  contentType?: string;
  error?: z.ZodType;
}

/**
 * Documents what a route answers with `statuses` (several when, say, a retry answers 200 and a
 * new submission 201), and the error body for anything else. Every route carries this (or
 * ApiNoContent); the OpenAPI e2e test fails on a route without it.
 */
export function ApiReturns(
  statuses: number | number[],
  schema: z.ZodType,
  options: ApiReturnsOptions = {},
): MethodDecorator {
  const contentType = options.contentType ?? 'application/json';
  const content: Record<string, { schema: SchemaObject }> = {
    [contentType]: { schema: openApiSchema(schema) },
  };
  if (options.csv) content['text/csv'] = { schema: { type: 'string' } };
  return applyDecorators(
    ...[statuses].flat().map((status) => ApiResponse({ status, description: 'Success', content })),
    options.error ? defaultResponse(options.error, contentType) : errorResponse,
  );
}

/** A route that answers 204 with no body (and the error body otherwise). */
export function ApiNoContent(): MethodDecorator {
  return applyDecorators(ApiResponse({ status: 204, description: 'No content' }), errorResponse);
}

/**
 * A POST that acts on something that already exists (acknowledge, revoke, log in) and answers
 * 200 with `schema`: nothing is created, so not Nest's default 201 for POST.
 */
export function PostOk(
  path: string | undefined,
  schema: z.ZodType,
  options?: ApiReturnsOptions,
): MethodDecorator {
  return applyDecorators(Post(path), ApiReturns(200, schema, options), HttpCode(200));
}

/**
 * An idempotent POST (a submission, a session-flow action): 201 with `schema` when it made
 * something new, 200 with the same body for a recognised retry, which `RetryStatusInterceptor`
 * sets from the result's `duplicate`. The interceptor and the two documented statuses go together.
 */
export function IdempotentPost(path: string, schema: z.ZodType): MethodDecorator {
  return applyDecorators(
    Post(path),
    UseInterceptors(RetryStatusInterceptor),
    ApiReturns([200, 201], schema),
  );
}
