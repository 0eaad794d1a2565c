import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  LIVE_STATES,
  type OverrideSetting,
  type PatientOverrides,
  type SetOverrideRequest,
} from '@vigil/contracts';
import {
  DEFAULT_ORAL_PROTOCOL,
  OVERRIDABLE_SETTING_NAMES,
  OVERRIDABLE_SETTINGS,
  settingEntry,
  validateOverride,
} from '@vigil/clinical';
import { CLOCK, type Clock } from '../../common/clock';
import type { RequestContext } from '../../common/request-context';
import { AuditService, auditFrom } from '../audit/audit.service';
import { EventStore, type AppendRequest, type EventTransaction } from '../events/event-store';
import { SessionAccess } from '../sessions/session-access';
import {
  clearOverride,
  insertOverride,
  isPatientVisible,
  lockLiveSessionsOf,
  patientExists,
  readActiveOverrides,
  type OverrideRow,
} from './overrides.repository';

/**
 * Per-patient protocol overrides (CLINICAL.md v2 "Locked and bounded settings"): the assigned
 * clinician or a supervisor sets or clears one bounded setting with a reason; every read and
 * change is audited with who, when and why, and a change is announced in the patient's live
 * sessions (`protocol.overridden`), where the alert engine judges by it from then on.
 */
@Injectable()
export class OverridesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: SessionAccess,
    private readonly store: EventStore,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext, patientId: string): Promise<PatientOverrides> {
    return this.withPatient(ctx, patientId, 'patient.overrides.read', async (manager) => {
      const active = (await readActiveOverrides(manager, [patientId])).get(patientId) ?? [];
      return { result: { patientId, settings: settingsOf(active) }, detail: {} };
    });
  }

  async set(
    ctx: RequestContext,
    patientId: string,
    setting: string,
    body: SetOverrideRequest,
  ): Promise<OverrideSetting> {
    const now = this.clock.now();
    const refused = validateOverride({
      setting,
      value: body.value,
      reason: body.reason,
      by: ctx.user.id,
      at: now,
    });
    if (refused.length > 0) {
      const field = refused[0].code === 'locked_setting' ? 'setting' : 'value';
      throw new BadRequestException(`${field}: ${refused.map((r) => r.message).join(' ')}`);
    }
    return this.change(ctx, patientId, setting, 'patient.override.set', async (manager) => {
      const active = (await readActiveOverrides(manager, [patientId], true)).get(patientId) ?? [];
      const borderline =
        setting === 'spo2Borderline' ? body.value : valueOf(active, 'spo2Borderline');
      const low = setting === 'spo2Low' ? body.value : valueOf(active, 'spo2Low');
      if (borderline < low) {
        throw new BadRequestException(
          `value: spo2Borderline (medium) must be at or above spo2Low (high), now ${low} %, or it would never sound.`,
        );
      }
      const previous = await clearOverride(
        manager,
        patientId,
        setting,
        ctx.user.id,
        now,
        body.reason,
      );
      await insertOverride(manager, patientId, {
        setting,
        value: body.value,
        reason: body.reason.trim(),
        by: ctx.user.id,
        at: now,
      });
      return { value: body.value, previous: previous?.value ?? null, reason: body.reason.trim() };
    });
  }

  async clear(
    ctx: RequestContext,
    patientId: string,
    setting: string,
    reason: string,
  ): Promise<OverrideSetting> {
    if (!(OVERRIDABLE_SETTING_NAMES as readonly string[]).includes(setting)) {
      throw new BadRequestException(`setting: "${setting}" is not an overridable setting.`);
    }
    return this.change(ctx, patientId, setting, 'patient.override.cleared', async (manager) => {
      const now = this.clock.now();
      const previous = await clearOverride(manager, patientId, setting, ctx.user.id, now, reason);
      if (!previous) throw new NotFoundException(`override: none in force for ${setting}`);
      return { value: null, previous: previous.value, reason: reason.trim() };
    });
  }

  /** One change: patient's live sessions locked, the row written, audited, announced. */
  private async change(
    ctx: RequestContext,
    patientId: string,
    setting: string,
    action: string,
    write: (
      manager: EntityManager,
    ) => Promise<{ value: number | null; previous: number | null; reason: string }>,
  ): Promise<OverrideSetting> {
    return this.withPatient(ctx, patientId, action, async (manager, append) => {
      // Session rows first (the lock order everywhere), so the announcement's seq is final.
      const sessions = await lockLiveSessionsOf(manager, patientId, LIVE_STATES);
      const written = await write(manager);
      const data = {
        setting,
        value: written.value,
        previous: written.previous,
        reason: written.reason,
        by: ctx.user.id,
      };
      const requests: AppendRequest[] = sessions.map((sessionId) => ({
        sessionId,
        type: 'protocol.overridden',
        actorId: ctx.user.id,
        clientId: null,
        bodyHash: null,
        clientTime: null,
        data,
        audit: null,
      }));
      // Announced after the commit: the engine re-judges those sessions by the new protocol.
      await append(requests);
      const active = (await readActiveOverrides(manager, [patientId])).get(patientId) ?? [];
      const entry = settingsOf(active).find((s) => s.setting === setting)!;
      return { result: entry, detail: { ...data, sessionIds: sessions } };
    });
  }

  /**
   * Runs `work` only if the caller may see the patient (a supervisor, or the clinician assigned
   * now), committing its audit row with it; a patient the caller may not see is a 404, audited.
   * Overrides are staff work, read or written: a patient is refused (403, audited) even for
   * their own record, whose overrides carry clinicians' reasons and account ids (the patient's
   * session summary shows the values in force, without them).
   */
  private async withPatient<T>(
    ctx: RequestContext,
    patientId: string,
    action: string,
    work: (
      manager: EntityManager,
      append: EventTransaction['append'],
    ) => Promise<{ result: T; detail: Record<string, unknown> }>,
  ): Promise<T> {
    if (ctx.user.role === 'patient') {
      await this.deny(ctx, patientId, action);
      throw new ForbiddenException('role: only the assigned clinician or a supervisor may do this');
    }
    const found = await this.store.unitOfWork(async ({ manager, append }) => {
      const visible = this.access.visibility(ctx.user, 2);
      if (!(await isPatientVisible(manager, patientId, visible))) return null;
      const { result, detail } = await work(manager, append);
      await this.audit.append(
        [
          auditFrom(ctx, {
            action,
            entityType: 'patient',
            entityId: patientId,
            patientId,
            outcome: 'success',
            detail,
          }),
        ],
        manager,
      );
      return { result };
    });
    if (!found) {
      await this.deny(ctx, patientId, action);
      throw new NotFoundException('patient: not found');
    }
    return found.result;
  }

  private async deny(ctx: RequestContext, patientId: string, action: string): Promise<void> {
    const exists = await patientExists(this.dataSource.manager, patientId);
    await this.audit.append([
      auditFrom(ctx, {
        action,
        entityType: 'patient',
        entityId: patientId,
        patientId: exists ? patientId : null,
        outcome: 'denied',
      }),
    ]);
  }
}

function valueOf(active: readonly OverrideRow[], setting: string): number {
  const row = active.find((o) => o.setting === setting);
  if (row) return row.value;
  return settingEntry(DEFAULT_ORAL_PROTOCOL, setting as 'spo2Low').value;
}

function settingsOf(active: readonly OverrideRow[]): OverrideSetting[] {
  return OVERRIDABLE_SETTING_NAMES.map((name) => {
    const s = OVERRIDABLE_SETTINGS[name];
    const defaultValue = settingEntry(DEFAULT_ORAL_PROTOCOL, name).value;
    const row = active.find((o) => o.setting === name);
    return {
      setting: name,
      label: s.label,
      unit: s.unit,
      min: s.min,
      max: s.max,
      default: defaultValue,
      value: row?.value ?? defaultValue,
      override: row
        ? {
            value: row.value,
            reason: row.reason,
            by: row.set_by,
            byName: row.set_by_name,
            at: row.set_at.toISOString(),
          }
        : null,
    };
  });
}
