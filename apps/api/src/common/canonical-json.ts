import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted, so the same body always hashes the same. Built by concatenation
 * over the sorted keys rather than entries/filter/map/join: every audit row is hashed through it
 * on the submission path, and the arrays those made were a tenth of the bytes the server
 * allocated per submission (issue 15, `bench/live.mjs --runtime`). `sort()` with no comparator
 * orders by UTF-16 code units, as `<` on strings does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const v = object[key];
    if (v === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(v);
  }
  return `${out}}`;
}

export function bodyHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
