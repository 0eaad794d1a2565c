import type { EntityManager } from 'typeorm';
import { SessionEntity } from '../sessions/session.entity';

export function insertScheduledSession(
  manager: EntityManager,
  session: Pick<SessionEntity, 'patientId' | 'clinicianId' | 'protocolId' | 'scheduledFor'>,
): Promise<SessionEntity> {
  return manager.getRepository(SessionEntity).save({
    ...session,
    state: 'scheduled',
    dosedAt: null,
    endedAt: null,
    headSeq: 0,
  });
}
