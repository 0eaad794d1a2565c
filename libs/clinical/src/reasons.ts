/** Guards explain themselves instead of throwing: a code for machines, a sentence for people. */
export interface Reason {
  code: string;
  message: string;
}

export function reason(code: string, message: string): Reason {
  return { code, message };
}

/** Who overrode a guard, and why. A blank reason is never accepted. */
export interface ClinicianOverride {
  reason: string;
  by: string;
  at?: string;
}

export function hasText(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
