import { createHash } from 'node:crypto';

/**
 * A UUID derived from stable parts (session id, seq, kind), so exporting the same session twice
 * yields the same resource ids and a receiver can de-duplicate. Shaped like a version-5 UUID.
 */
export function stableUuid(...parts: Array<string | number>): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const urn = (uuid: string) => `urn:uuid:${uuid}`;
