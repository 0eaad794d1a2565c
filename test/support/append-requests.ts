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

/** One manual reading of a patient's, as the event store takes it (the help press's audit row). */
export function readingRequest(
  patient: TestUser,
  sessionId: string,
  clientId: string,
  kind: string,
  value: number,
): AppendRequest {
  const reading = { kind, value, measuredAt: new Date().toISOString(), source: 'manual' };
  return vitalsRequest(patient, sessionId, clientId, reading);
}

/** One reading a device streamed (no `source`), measured at `measuredAt`. */
export function deviceReadingRequest(
  patient: TestUser,
  sessionId: string,
  clientId: string,
  kind: string,
  value: number,
  measuredAt: Date,
): AppendRequest {
  const reading = { kind, value, measuredAt: measuredAt.toISOString() };
  return vitalsRequest(patient, sessionId, clientId, reading);
}

function vitalsRequest(
  patient: TestUser,
  sessionId: string,
  clientId: string,
  reading: { kind: string; value: number; measuredAt: string; source?: string },
): AppendRequest {
  return {
    ...helpRequest(patient, sessionId, clientId),
    type: 'vitals.recorded',
    data: { readings: [reading] },
  } as AppendRequest;
}
