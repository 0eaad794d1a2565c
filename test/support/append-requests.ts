import type { AppendRequest } from '../../apps/api/src/modules/events/event-store';
import type { TestUser } from './factories';

/**
 * A patient's help press as the event store takes it, with its audit row: what the submission
 * path hands `EventStore.append`, for tests that drive the store's group commit directly.
 */
export function helpRequest(
  patient: TestUser,
  sessionId: string,
  clientId: string,
  note = 'x',
): AppendRequest {
  return {
    sessionId,
    type: 'help.requested',
    data: { note },
    actorId: patient.id,
    clientId,
    bodyHash: `hash-${note}`,
    clientTime: null,
    audit: {
      actorId: patient.id,
      actorRole: 'patient',
      action: 'help.request',
      entityType: 'session',
      entityId: sessionId,
      patientId: patient.patientId ?? null,
      outcome: 'success',
      ip: null,
      userAgent: null,
    },
  };
}
