import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { Bundle, BundleEntry, Observation } from 'fhir/r4';
import { CLOCK, type Clock } from '../../../common/clock';
import type { AppendOutcome } from '../../events/event-store';
import { stableUuid } from '../../fhir/fhir-ids';
import type { DeviceIdentity, Origin } from '../device-auth.service';
import { DeviceReadingsService, DeviceRevokedException } from '../device-readings.service';
import type { LiveSession } from '../devices.repository';
import { notThisSession } from '../reading-window';
import { mapObservation, type MappedObservation } from './observation-mapper';
import {
  HTTP_STATUS_TEXT,
  inEntry,
  issue,
  operationOutcome,
  statusOf,
  type Issue,
} from './operation-outcome';

/** Entries a Bundle may hold (admission reads no further either: fhir-admission.ts). */
export const MAX_BUNDLE_ENTRIES = 1000;

/** A refusal carrying its OperationOutcome (rendered by FhirExceptionFilter). */
export class FhirError extends HttpException {
  constructor(status: number, issues: readonly Issue[]) {
    super(operationOutcome(issues), status);
  }
}

export interface Created {
  status: 200 | 201;
  resource: Observation;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The id the session's FHIR export gives the same reading, so both name one resource. */
function resourceId(sessionId: string, seq: number, mapped: MappedObservation): string {
  const first = mapped.readings[0];
  return mapped.code === '85354-9'
    ? stableUuid(sessionId, seq, 'bp', first.measuredAt)
    : stableUuid(sessionId, seq, 0, first.kind);
}

/**
 * FHIR R4 ingest for paired devices: an Observation, or a batch / transaction Bundle of them,
 * becomes `vitals.recorded` in the device's patient's live session. Every refusal is an
 * OperationOutcome naming the element, and is audited.
 */
@Injectable()
export class FhirIngestService {
  constructor(
    private readonly readings: DeviceReadingsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async observation(device: DeviceIdentity, body: unknown, origin: Origin): Promise<Created> {
    const mapped = mapObservation(body, this.context(device));
    if (!mapped.ok) throw await this.refuse(device, origin, mapped.issues);
    const live = await this.session(device, origin, [mapped.value.encounterId], 'Observation');
    const sessionId = live.id;
    const early = this.beforeSession(device, live, mapped.value, 'Observation');
    if (early) throw await this.refuse(device, origin, [early], sessionId);
    // One item needs no rollback: it is stored or it is not.
    const [outcome] = await this.store(device, sessionId, [mapped.value], origin, false);
    if (outcome.status === 'appended' || outcome.status === 'duplicate') {
      const seq = outcome.status === 'appended' ? outcome.event.seq : outcome.seq;
      return {
        status: outcome.status === 'appended' ? 201 : 200,
        resource: this.stored(body as Observation, sessionId, seq, mapped.value),
      };
    }
    throw await this.refuse(
      device,
      origin,
      [this.outcomeIssue(outcome, 'Observation')!],
      sessionId,
    );
  }

  async bundle(device: DeviceIdentity, body: unknown, origin: Origin): Promise<Bundle> {
    const entries = await this.bundleEntries(device, body, origin);
    const type = (body as Bundle).type as 'batch' | 'transaction';
    const mapped = entries.map((entry, index) => this.entry(device, entry, index));
    const issues = mapped.flatMap((m) => (m.ok ? [] : m.issues));
    if (type === 'transaction' && issues.length > 0)
      throw await this.refuse(device, origin, issues);

    const good = mapped.flatMap((m, index) => (m.ok ? [{ index, value: m.value }] : []));
    const live = await this.session(device, origin, [], 'Bundle.entry');
    const sessionId = live.id;
    // An entry naming another encounter is refused on its own (a transaction: all of it).
    const misplaced = good.filter((g) => g.value.encounterId && g.value.encounterId !== sessionId);
    if (misplaced.length > 0) {
      const wrong = misplaced.map((g) =>
        issue(
          'not-found',
          `Bundle.entry[${g.index}].resource.encounter`,
          `Encounter/${g.value.encounterId}: not found for this device's credential`,
        ),
      );
      if (type === 'transaction')
        throw await this.refuse(device, origin, wrong, misplaced[0].value.encounterId);
      await this.readings.refuse(
        device,
        origin,
        { reason: 'not_found' },
        misplaced[0].value.encounterId,
      );
      for (const [i, g] of misplaced.entries()) mapped[g.index] = { ok: false, issues: [wrong[i]] };
    }
    // An entry measured before the pairing or the session likewise (reading-window.ts).
    const early = good.flatMap((g) => {
      if (misplaced.includes(g)) return [];
      const found = this.beforeSession(device, live, g.value, `Bundle.entry[${g.index}].resource`);
      return found ? [{ g, issue: found }] : [];
    });
    if (early.length > 0) {
      const refused = early.map((e) => e.issue);
      if (type === 'transaction') throw await this.refuse(device, origin, refused, sessionId);
      await this.readings.refuse(
        device,
        origin,
        { reason: 'invalid', issues: refused.map((i) => i.expression) },
        sessionId,
      );
      for (const e of early) mapped[e.g.index] = { ok: false, issues: [e.issue] };
    }
    const toStore = good.filter((g) => !misplaced.includes(g) && !early.some((e) => e.g === g));
    const outcomes = await this.store(
      device,
      sessionId,
      toStore.map((g) => g.value),
      origin,
      type === 'transaction',
    );
    if (type === 'batch' && issues.length > 0)
      await this.readings.refuse(device, origin, {
        reason: 'invalid',
        issues: issues.map((i) => i.expression),
      });
    const results = new Map(
      toStore.map((g, i) => [g.index, { value: g.value, outcome: outcomes[i] }]),
    );
    return {
      resourceType: 'Bundle',
      type: type === 'batch' ? 'batch-response' : 'transaction-response',
      entry: mapped.map((m, index): BundleEntry => {
        const result = results.get(index);
        if (!result) {
          const entryIssues = m.ok ? [] : m.issues;
          return {
            response: {
              status: HTTP_STATUS_TEXT[statusOf(entryIssues)],
              outcome: operationOutcome(entryIssues),
            },
          };
        }
        const { outcome, value } = result;
        if (outcome.status === 'appended' || outcome.status === 'duplicate') {
          const seq = outcome.status === 'appended' ? outcome.event.seq : outcome.seq;
          const id = resourceId(sessionId, seq, value);
          return {
            response: {
              status: HTTP_STATUS_TEXT[outcome.status === 'appended' ? 201 : 200],
              location: `Observation/${id}`,
            },
          };
        }
        const problem = this.outcomeIssue(outcome, `Bundle.entry[${index}].resource`)!;
        return {
          response: {
            status: HTTP_STATUS_TEXT[statusOf([problem])],
            outcome: operationOutcome([problem]),
          },
        };
      }),
    };
  }

  private async bundleEntries(
    device: DeviceIdentity,
    body: unknown,
    origin: Origin,
  ): Promise<unknown[]> {
    const refuse = async (expression: string, text: string) =>
      this.refuse(device, origin, [issue('invalid', expression, text)]);
    if (!isObject(body)) throw await refuse('Bundle', 'must be a JSON object');
    if (body.resourceType !== 'Bundle')
      throw await refuse(
        'Bundle.resourceType',
        `must be Bundle (got ${JSON.stringify(body.resourceType ?? null)}); post a single Observation to /api/fhir/Observation`,
      );
    if (body.type !== 'batch' && body.type !== 'transaction')
      throw await refuse('Bundle.type', 'must be batch or transaction');
    if (!Array.isArray(body.entry) || body.entry.length === 0)
      throw await refuse('Bundle.entry', 'must hold at least one entry');
    if (body.entry.length > MAX_BUNDLE_ENTRIES)
      throw await refuse('Bundle.entry', `must hold at most ${MAX_BUNDLE_ENTRIES} entries`);
    return body.entry as unknown[];
  }

  private entry(device: DeviceIdentity, entry: unknown, index: number) {
    const at = `Bundle.entry[${index}]`;
    if (!isObject(entry))
      return { ok: false as const, issues: [issue('invalid', at, 'must be an object')] };
    const request = entry.request;
    if (request !== undefined) {
      const ok =
        isObject(request) &&
        request.method === 'POST' &&
        typeof request.url === 'string' &&
        /^Observation\/?$/.test(request.url);
      if (!ok)
        return {
          ok: false as const,
          issues: [issue('not-supported', `${at}.request`, 'must be POST Observation')],
        };
    }
    if (entry.resource === undefined)
      return { ok: false as const, issues: [issue('required', `${at}.resource`, 'is required')] };
    const mapped = mapObservation(entry.resource, this.context(device));
    return mapped.ok ? mapped : { ok: false as const, issues: inEntry(mapped.issues, index) };
  }

  private context(device: DeviceIdentity) {
    return {
      deviceId: device.id,
      deviceKind: device.kind,
      patientId: device.patientId,
      now: this.clock.now(),
    };
  }

  /** The patient's live session, which any encounter given must name; else refused and audited. */
  private async session(
    device: DeviceIdentity,
    origin: Origin,
    encounters: Array<string | null>,
    root: string,
  ): Promise<LiveSession> {
    const live = await this.readings.liveSession(device);
    const named = encounters.find((e) => e !== null && e !== live?.id);
    if (named) {
      throw await this.refuse(
        device,
        origin,
        [
          issue(
            'not-found',
            `${root}.encounter`,
            `Encounter/${named}: not found for this device's credential`,
          ),
        ],
        named,
      );
    }
    if (!live) {
      throw await this.refuse(device, origin, [
        issue(
          'business-rule',
          root === 'Observation' ? 'Observation.subject' : root,
          'the patient this device is paired with has no live session: nothing was stored',
        ),
      ]);
    }
    return live;
  }

  /** Measured before this pairing or before the session went live: why, naming the time. */
  private beforeSession(
    device: DeviceIdentity,
    live: LiveSession,
    value: MappedObservation,
    root: string,
  ): Issue | null {
    const window = { pairedAt: device.pairedAt, sessionStart: live.startedAt };
    const why = notThisSession(value.readings[0].measuredAt, window);
    return why ? issue('value', `${root}.${value.timeElement}`, why) : null;
  }

  private async store(
    device: DeviceIdentity,
    sessionId: string,
    items: MappedObservation[],
    origin: Origin,
    atomic: boolean,
  ): Promise<AppendOutcome[]> {
    if (items.length === 0) return [];
    try {
      return await this.readings.storeAll(device, sessionId, items, origin, atomic);
    } catch (err) {
      if (err instanceof DeviceRevokedException)
        throw new FhirError(401, [issue('security', 'Authorization', 'device credential revoked')]);
      const rolled = (err as { outcomes?: AppendOutcome[] }).outcomes;
      if (!Array.isArray(rolled)) throw err;
      const problems = rolled.flatMap((o, i) => {
        const found = this.outcomeIssue(o, `Bundle.entry[${i}].resource`);
        return found ? [found] : [];
      });
      throw await this.refuse(device, origin, problems);
    }
  }

  private outcomeIssue(outcome: AppendOutcome, root: string): Issue | null {
    if (outcome.status === 'conflict')
      return issue(
        'conflict',
        `${root}.identifier`,
        `already used for a different observation (seq ${outcome.seq})`,
      );
    if (outcome.status === 'not_found')
      return issue('business-rule', root, 'the session is no longer live: nothing was stored');
    return null;
  }

  private stored(
    input: Observation,
    sessionId: string,
    seq: number,
    mapped: MappedObservation,
  ): Observation {
    return { ...input, id: resourceId(sessionId, seq, mapped) };
  }

  /** Audits the refusal and builds the error to throw. */
  private async refuse(
    device: DeviceIdentity,
    origin: Origin,
    issues: Issue[],
    sessionId: string | null = null,
  ): Promise<FhirError> {
    await this.readings.refuse(
      device,
      origin,
      { reason: issues[0]?.code ?? 'invalid', issues: issues.map((i) => i.expression) },
      sessionId,
    );
    return new FhirError(statusOf(issues), issues);
  }
}
