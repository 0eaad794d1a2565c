import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  DEVICE_READING_KINDS,
  sessionIdSchema,
  type Reading,
  type ReadingDevice,
  type SubmissionResult,
  type VitalsSubmission,
  withOutboxWaits,
} from '@vigil/contracts';
import { bodyHash } from '../../common/canonical-json';
import { CLOCK, MAX_CLOCK_AHEAD_MS, type Clock } from '../../common/clock';
import { AuditService, type AuditEntry } from '../audit/audit.service';
import { EventStore, type AppendOutcome, type AppendRequest } from '../events/event-store';
import { SubmissionQueue } from '../events/submission-queue';
import { submittedOf } from '../submissions/submissions.service';
import type { DeviceIdentity, Origin } from './device-auth.service';
import {
  deviceStanding,
  liveSessionOf,
  stillValid,
  touchDevice,
  type LiveSession,
} from './devices.repository';
import { notThisSession } from './reading-window';

/** A 403 whose device socket is cut once it has been answered. */
export class DeviceRevokedException extends ForbiddenException {
  constructor() {
    super("device: credential revoked or rotated, or the patient's account deactivated");
  }
}

/** `devices.last_seen_at` moves at most this often (its UPDATE keeps the same gap). */
const TOUCH_EVERY_MS = 2000;

export interface DeviceItem {
  clientId: string;
  readings: Reading[];
  /** v1.14: when the device's outbox sent it, by the device's clock (a socket's `sentAt`). */
  sentAt?: string;
}

/** Thrown inside the ingest transaction to roll every entry back (a FHIR transaction Bundle). */
export class IngestRolledBack extends Error {
  constructor(readonly outcomes: AppendOutcome[] | 'revoked') {
    super('device ingest rolled back');
  }
}

/**
 * A paired device's readings take the patients' own path: `vitals.recorded` in the session's
 * gapless log through the event store (idempotent by clientId, audited in the same transaction,
 * published after commit to watchers, boards and the alert engine). The device is the actor in
 * the audit row; the event names it in its data (`device`), its readings carry `source: device`,
 * and its `actorId` is null (the event log's actors are accounts).
 */
@Injectable()
export class DeviceReadingsService {
  /**
   * When this instance last wrote each device's `last_seen_at`: a device at 1 Hz would otherwise
   * send an UPDATE with every reading that the statement's own 2 s condition turns into nothing
   * two times in three (one round trip per reading saved; one entry per paired device).
   */
  private readonly touched = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly queue: SubmissionQueue,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The patient's live session and when it went live, or null. */
  liveSession(device: DeviceIdentity): Promise<LiveSession | null> {
    return liveSessionOf(this.dataSource.manager, device.patientId);
  }

  /**
   * One `vitals.submit` from a device's socket: group-committed like a phone's. A refusal is
   * thrown (revoked 403, 404, 400, 409), audited first.
   */
  async submitFromSocket(
    device: DeviceIdentity,
    sessionId: string,
    body: VitalsSubmission,
    origin: Origin,
  ): Promise<SubmissionResult> {
    // Read before the group commit, not share-locked in it as storeAll does: the group is one
    // statement (vigil_append_group) for many submissions. A revoke that commits in between (the
    // gather, 10 ms; up to MAX_QUEUE_WAIT_MS under load) lets this one submission through, sent
    // before the revoke, into the session of the patient it was paired with then: never another
    // patient's (a re-pairing is a new device row and credential, this identity's patient stays).
    const { valid, liveSession: live } = await deviceStanding(this.dataSource.manager, device);
    if (!valid) {
      await this.refuse(device, origin, { reason: 'revoked' });
      throw new DeviceRevokedException();
    }
    if (live?.id !== sessionId) {
      await this.refuse(
        device,
        origin,
        { reason: live ? 'not_found' : 'no_live_session' },
        sessionId,
      );
      throw new NotFoundException('session: not found');
    }
    const refused = body.readings.findIndex(
      (r) => !DEVICE_READING_KINDS[device.kind].includes(r.kind),
    );
    if (refused >= 0) {
      const kind = body.readings[refused].kind;
      await this.refuse(device, origin, { reason: 'invalid', kind }, sessionId);
      throw new BadRequestException(
        `readings[${refused}].kind: a ${device.kind} may not report ${kind}`,
      );
    }
    // As for the phone and FHIR: a reading dated in the future would outrank every real one after it.
    const limit = this.clock.now().getTime() + MAX_CLOCK_AHEAD_MS;
    const ahead = body.readings.findIndex((r) => Date.parse(r.measuredAt) > limit);
    if (ahead >= 0) {
      await this.refuse(device, origin, { reason: 'invalid', field: 'measuredAt' }, sessionId);
      throw new BadRequestException(
        `readings[${ahead}].measuredAt: more than a minute ahead of the server clock (check the device clock)`,
      );
    }
    // Its send time by the same clock: far ahead, it would date every reading long before it was
    // measured (the outbox sends the readings again without it).
    if (body.sentAt !== undefined && Date.parse(body.sentAt) > limit) {
      await this.refuse(device, origin, { reason: 'invalid', field: 'sentAt' }, sessionId);
      throw new BadRequestException(
        `sentAt: more than a minute ahead of the server clock (check the device clock)`,
      );
    }
    // Nor from before the pairing or the session: another patient's, or another day's.
    const window = { pairedAt: device.pairedAt, sessionStart: live.startedAt };
    for (const [i, r] of body.readings.entries()) {
      const early = notThisSession(r.measuredAt, window);
      if (!early) continue;
      await this.refuse(device, origin, { reason: 'invalid', field: 'measuredAt' }, sessionId);
      throw new BadRequestException(`readings[${i}].measuredAt: ${early}`);
    }
    const readings = body.readings.map((r) => ({ ...r, source: 'device' as const }));
    const item = { clientId: body.clientId, readings, sentAt: body.sentAt };
    const outcome = await this.queue.submit(
      this.request(device, sessionId, item, 'socket', origin),
    );
    if (outcome.status === 'appended') await this.touch(device.id);
    return submittedOf(outcome);
  }

  /**
   * Several items in one transaction, the device row share-locked first (a revocation that
   * commits first is seen; one that comes later waits for this to finish). With `atomic`, a
   * conflict or a vanished session rolls every item back (`IngestRolledBack`); a revoked or
   * rotated credential stores nothing (`DeviceRevokedException`, audited).
   */
  async storeAll(
    device: DeviceIdentity,
    sessionId: string,
    items: DeviceItem[],
    origin: Origin,
    atomic: boolean,
  ): Promise<AppendOutcome[]> {
    const requests = items.map((item) => this.request(device, sessionId, item, 'fhir', origin));
    let outcomes: AppendOutcome[];
    try {
      outcomes = await this.store.unitOfWork(async ({ manager, append }) => {
        const valid = await stillValid(manager, [{ id: device.id, keyId: device.keyId }], true);
        if (!valid.has(device.id)) throw new IngestRolledBack('revoked');
        const result = await append(requests);
        if (atomic && result.some((o) => o.status === 'conflict' || o.status === 'not_found'))
          throw new IngestRolledBack(result);
        return result;
      });
    } catch (err) {
      if (err instanceof IngestRolledBack && err.outcomes === 'revoked') {
        await this.refuse(device, origin, { reason: 'revoked' });
        throw new DeviceRevokedException();
      }
      throw err;
    }
    if (outcomes.some((o) => o.status === 'appended')) await this.touch(device.id);
    return outcomes;
  }

  /** Marks the device seen now, unless this instance did so less than TOUCH_EVERY_MS ago. */
  private async touch(deviceId: string): Promise<void> {
    const now = this.clock.now().getTime();
    const last = this.touched.get(deviceId);
    if (last !== undefined && now - last < TOUCH_EVERY_MS && now >= last) return;
    this.touched.set(deviceId, now);
    await touchDevice(this.dataSource.manager, deviceId);
  }

  /** Audits a refused submission: the device as actor, the session it aimed at if any. */
  async refuse(
    device: DeviceIdentity,
    origin: Origin,
    detail: Record<string, unknown>,
    sessionId: string | null = null,
  ): Promise<void> {
    // A reference that is not a session id (`Encounter/visit-42`) names no session: looking it up
    // as one was a database error, a 500 instead of the device's 404.
    const aimedAt =
      sessionId && sessionIdSchema.safeParse(sessionId).success
        ? await this.audit.patientOfSession(sessionId)
        : null;
    const patientId = aimedAt ?? device.patientId;
    await this.audit.append([
      {
        ...this.actor(device, origin),
        action: 'device.ingest',
        entityType: sessionId ? 'session' : 'device',
        entityId: sessionId ?? device.id,
        patientId,
        outcome: 'denied',
        detail: { deviceId: device.id, ...detail },
      },
    ]);
  }

  private request(
    device: DeviceIdentity,
    sessionId: string,
    item: DeviceItem,
    via: ReadingDevice['via'],
    origin: Origin,
  ): AppendRequest {
    const source: ReadingDevice = {
      id: device.id,
      kind: device.kind,
      manufacturer: device.manufacturer,
      model: device.model,
      via,
    };
    const data = { readings: item.readings, device: source };
    return {
      sessionId,
      type: 'vitals.recorded',
      actorId: null,
      clientId: item.clientId,
      // Without the waits (v1.14): a retry with a later sentAt is the same submission.
      bodyHash: bodyHash({ type: 'vitals.recorded', data }),
      clientTime: null,
      data: { ...data, readings: withOutboxWaits(item.readings, item.sentAt) },
      audit: {
        ...this.actor(device, origin),
        action: 'device.vitals.submit',
        entityType: 'session',
        entityId: sessionId,
        patientId: device.patientId,
        outcome: 'success',
        detail: { clientId: item.clientId, deviceId: device.id, via },
      },
    };
  }

  private actor(
    device: DeviceIdentity,
    origin: Origin,
  ): Pick<AuditEntry, 'actorId' | 'actorRole' | 'ip' | 'userAgent'> {
    return { actorId: device.id, actorRole: 'device', ip: origin.ip, userAgent: origin.userAgent };
  }
}
