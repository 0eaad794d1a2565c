import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  applyOverrides,
  DEFAULT_ORAL_PROTOCOL,
  upgradeProtocol,
  type Protocol,
} from '@vigil/clinical';
import {
  readActiveOverrides,
  readOverrideHistory,
  toProtocolOverride,
} from './overrides.repository';
import { insertProtocolIfMissing, readProtocolDocument } from './protocols.repository';
import { ProtocolEntity } from './protocol.entity';

/** One per-patient override of a setting and when it was in force (epoch ms). */
export interface OverrideSpan {
  setting: string;
  value: number;
  from: number;
  /** Null while it is still in force. */
  until: number | null;
}

/**
 * Protocol versions are immutable rows: a session pins the one it was scheduled under, and a
 * change of thresholds is a new version. The default from libs/clinical is stored at boot if
 * that version is not there yet.
 */
@Injectable()
export class ProtocolsService implements OnModuleInit {
  /** Protocol rows never change (a change is a new version), so a cached document stays right. */
  private readonly documents = new Map<string, Protocol>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.ensureDefault();
  }

  async ensureDefault(): Promise<ProtocolEntity> {
    const repo = this.dataSource.getRepository(ProtocolEntity);
    const { name, version } = DEFAULT_ORAL_PROTOCOL;
    await insertProtocolIfMissing(this.dataSource.manager, DEFAULT_ORAL_PROTOCOL);
    return repo.findOneOrFail({ where: { name, version } });
  }

  async find(id: string): Promise<ProtocolEntity | null> {
    return this.dataSource.getRepository(ProtocolEntity).findOne({ where: { id } });
  }

  /** The Protocol a session is pinned to (protocols.document), or null if there is no such row. */
  async document(id: string, manager?: EntityManager): Promise<Protocol | null> {
    const cached = this.documents.get(id);
    if (cached) return cached;
    const stored = await readProtocolDocument(manager ?? this.dataSource.manager, id);
    if (stored === null) return null;
    // A document stored before CLINICAL.md v2 is judged by the v2 default of its route.
    const document = upgradeProtocol(stored);
    this.documents.set(id, document);
    return document;
  }

  /**
   * When each of a patient's overrides of `settings` was in force (epoch ms, `until` null while
   * it still is), for reports that judge past readings by the limit in force when they were taken.
   */
  async overrideSpans(
    manager: EntityManager,
    patientId: string,
    settings: readonly string[],
  ): Promise<OverrideSpan[]> {
    const rows = await readOverrideHistory(manager, patientId, settings);
    return rows.map((r) => ({
      setting: r.setting,
      value: Number(r.value),
      from: r.set_at.getTime(),
      until: r.cleared_at?.getTime() ?? null,
    }));
  }

  /**
   * The protocol each session is judged by: the version it is pinned to, with its patient's
   * overrides in force applied (one query for the batch). An override the bounds no longer allow
   * is left out, never applied.
   */
  async forSessions(
    manager: EntityManager,
    sessions: ReadonlyArray<{ sessionId: string; protocolId: string; patientId: string }>,
  ): Promise<Map<string, Protocol>> {
    const overrides = await readActiveOverrides(
      manager,
      sessions.map((s) => s.patientId),
    );
    const out = new Map<string, Protocol>();
    for (const s of sessions) {
      const document = await this.document(s.protocolId, manager);
      if (!document) throw new Error(`protocol ${s.protocolId} is missing`);
      const mine = overrides.get(s.patientId);
      out.set(
        s.sessionId,
        mine ? applyOverrides(document, mine.map(toProtocolOverride)).protocol : document,
      );
    }
    return out;
  }
}
