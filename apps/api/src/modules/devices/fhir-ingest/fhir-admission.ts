import { readingsMayAlert } from '@vigil/clinical';
import type { AdmissionClass } from '../../events/admission';
import { MAX_BUNDLE_ENTRIES } from './fhir-ingest.service';
import { peekReadings } from './observation-mapper';

/**
 * The admission class of a FHIR post, from its raw body: `urgent` when an Observation in it holds
 * a reading that may raise a medium or high alert by itself (`readingMayAlert`), else `routine`.
 * Admission runs before the device's credential is checked (an argon2 verification, the cost a
 * refusal must not pay), so the readings cannot be mapped once for both: `peekReadings` reads the
 * codes and quantities a second time (microseconds per entry, no other check, stopping at the
 * first alert-worthy one), and `mapObservation` reads them again with everything else once the
 * post is admitted.
 */
export function fhirObservationAdmissionClass(body: unknown): AdmissionClass {
  return readingsMayAlert(peekReadings(body)) ? 'urgent' : 'routine';
}

/** As `fhirObservationAdmissionClass`, for each entry's resource of a batch or transaction Bundle. */
export function fhirBundleAdmissionClass(body: unknown): AdmissionClass {
  const entries = (body as { entry?: unknown } | null)?.entry;
  // A longer Bundle is refused whatever it holds.
  if (!Array.isArray(entries) || entries.length > MAX_BUNDLE_ENTRIES) return 'routine';
  for (const entry of entries) {
    const resource = (entry as { resource?: unknown } | null)?.resource;
    if (fhirObservationAdmissionClass(resource) === 'urgent') return 'urgent';
  }
  return 'routine';
}
