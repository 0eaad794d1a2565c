import { Injectable } from '@nestjs/common';

export type AccountEvent =
  | { type: 'user.logged_out'; userId: string }
  | { type: 'user.deactivated'; userId: string }
  | { type: 'family.revoked'; userId: string; familyId: string }
  | { type: 'assignment.ended'; clinicianId: string; patientId: string };

/** Announces account changes that live connections must act on (disconnect, leave rooms). */
@Injectable()
export class AccountEvents {
  private readonly listeners = new Set<(event: AccountEvent) => void>();

  subscribe(listener: (event: AccountEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: AccountEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
