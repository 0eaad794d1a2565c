import { Injectable } from '@nestjs/common';
import { Announcer } from '../../common/announcer';

export type AccountEvent =
  | { type: 'user.logged_out'; userId: string }
  | { type: 'user.deactivated'; userId: string }
  | { type: 'family.revoked'; userId: string; familyId: string }
  /** `endedAt` is the assignment's end as recorded (the ending instance's clock). */
  | { type: 'assignment.ended'; clinicianId: string; patientId: string; endedAt: Date };

/** Announces account changes that live connections must act on (disconnect, leave rooms). */
@Injectable()
export class AccountEvents extends Announcer<AccountEvent> {}
