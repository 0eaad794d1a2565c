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
 * How deep arrays and objects may nest in a body or a socket payload: the deepest shape the
 * contract accepts (a FHIR Bundle's entry -> resource -> component -> valueQuantity) is under
 * ten levels. A deeper value is refused here, before any walk over it can overflow the stack: a
 * 20 KB body of 10,000 nested arrays was a 500 over REST and a message never answered over the
 * socket.
 */
export const MAX_JSON_DEPTH = 32;
export const TOO_DEEP_MESSAGE = `must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep`;

/** A field of a parsed JSON value that cannot be stored, and why. */
export interface Unstorable {
  /** Written as describeIssues writes fields (`readings[0].note`); `body` for the value itself. */
  field: string;
  message: string;
}

/**
 * The first string (value or object key) in a parsed JSON value that is not storable text, or
 * the first array or object nested past MAX_JSON_DEPTH; null if none. The recursion stops at that
 * depth, so the walk itself is bounded whatever it is given.
 */
export function findUnstorable(value: unknown, path = '', depth = 0): Unstorable | null {
  if (typeof value === 'string') {
    return isStorableText(value) ? null : { field: path || 'body', message: BAD_TEXT_MESSAGE };
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth === MAX_JSON_DEPTH) return { field: path || 'body', message: TOO_DEEP_MESSAGE };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${path}[${i}]`, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    const field = path ? `${path}.${key}` : key;
    if (!isStorableText(key)) return { field, message: BAD_TEXT_MESSAGE };
    const found = findUnstorable(member, field, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
