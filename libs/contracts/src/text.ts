/**
 * Text PostgreSQL cannot store, found before it reaches the database: a NUL character (refused in
 * `text` and `jsonb`) or a UTF-16 surrogate half without its partner (not a Unicode character;
 * `jsonb` refuses its escape). Either one used to surface as a 500, which a phone's outbox reads
 * as "retry later" forever. Hand-written because it is one regular expression over code units
 * (`String.prototype.isWellFormed` is ES2024, past the ES2023 library these packages target).
 */
export const BAD_TEXT_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

// Without the `u` flag a regular expression walks UTF-16 code units, so it can see lone halves.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * The path of the first string (value or object key) in a parsed JSON value that is not
 * storable text, written as describeIssues writes fields (`readings[0].note`); null if none.
 */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path || 'body';
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    const field = path ? `${path}.${key}` : key;
    if (!isStorableText(key)) return field;
    const found = findUnstorableText(member, field);
    if (found !== null) return found;
  }
  return null;
}
