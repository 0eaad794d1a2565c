/**
 * The contracts' schemas validate a whole submission; the outbox adds its own clientId. Unset
 * answers are dropped so the stored body is exactly what goes over the wire.
 */
export function withoutClientId<T extends { clientId: string }>(value: T): Omit<T, 'clientId'> {
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'clientId' && v !== undefined) copy[k] = v;
  return copy as Omit<T, 'clientId'>;
}

/** A string field of loosely typed event data, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
