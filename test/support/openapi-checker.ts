import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { HttpResult } from './factories';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

export const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Calls routes of a running app and validates each real answer, success or error, with ajv
 * against the schema its OpenAPI document gives for that status and content type. Failures are
 * collected (not thrown), so one test run lists every route that drifted from its description.
 */
export class OpenApiChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<object, ValidateFunction>();
  /** "METHOD /path/{param}" of every call validated, with its status. */
  readonly validated = new Map<string, number[]>();
  readonly failures: string[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly doc: OpenApiDocument,
  ) {
    addFormats(this.ajv);
  }

  /** The document's schema compiled once (the same schema object shares one validator). */
  compile(schema: object): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  /** Operations in the document with no validated 2xx answer yet. */
  notCalled(): string[] {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(this.doc.paths)) {
      for (const method of METHODS) {
        if (!item[method]) continue;
        const statuses = this.validated.get(`${method.toUpperCase()} ${path}`) ?? [];
        if (!statuses.some((x) => x >= 200 && x < 300))
          missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    return missing;
  }

  /** Calls `template` with its {params} filled in and validates the answer against the document. */
  async call(
    method: string,
    template: string,
    opts: {
      token?: string;
      params?: Record<string, string>;
      query?: string;
      body?: unknown;
      send?: (path: string) => Promise<HttpResult>;
    } = {},
  ): Promise<HttpResult> {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = opts.params?.[name];
      if (value === undefined) throw new Error(`${template}: no value for {${name}}`);
      return encodeURIComponent(value);
    });
    const full = opts.query ? `${path}?${opts.query}` : path;
    // FHIR posts go through the device helper (its credential, application/fhir+json).
    if (opts.send) {
      const sent = await opts.send(full);
      this.check(`${method} ${template}`, sent.status, 'application/fhir+json', sent.body);
      return sent;
    }
    const res = await fetch(`${this.baseUrl}${full}`, {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const result = { status: res.status, body: type.includes('json') ? JSON.parse(text) : text };
    this.check(`${method} ${template}`, result.status, type, result.body);
    return result;
  }

  check(key: string, status: number, contentType: string, body: unknown): void {
    const [method, template] = key.split(' ');
    const operation = this.doc.paths[template]?.[method.toLowerCase()];
    if (!operation) return void this.failures.push(`${key}: not in the OpenAPI document`);
    const response = operation.responses?.[String(status)] ?? operation.responses?.default;
    if (!response) return void this.failures.push(`${key}: ${status} is not documented`);
    if (status === 204) {
      if (body !== '' && body !== null) this.failures.push(`${key}: 204 with a body`);
      this.validated.set(key, [...(this.validated.get(key) ?? []), status]);
      return;
    }
    const mediaType = contentType.split(';')[0].trim();
    const schema = response.content?.[mediaType]?.schema;
    if (!schema)
      return void this.failures.push(`${key}: ${status} ${mediaType} has no documented schema`);
    const validate = this.compile(schema);
    if (!validate(body)) {
      this.failures.push(
        `${key} ${status}: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`.slice(
          0,
          2000,
        ),
      );
      return;
    }
    this.validated.set(key, [...(this.validated.get(key) ?? []), status]);
  }
}
