import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DEFAULT_ORAL_PROTOCOL, type Protocol } from '@vigil/clinical';
import { ProtocolEntity } from './protocol.entity';

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
    await this.dataSource.query(
      `INSERT INTO protocols (name, version, document) VALUES ($1, $2, $3) ON CONFLICT (name, version) DO NOTHING`,
      [name, version, JSON.stringify(DEFAULT_ORAL_PROTOCOL)],
    );
    return repo.findOneOrFail({ where: { name, version } });
  }

  async find(id: string): Promise<ProtocolEntity | null> {
    return this.dataSource.getRepository(ProtocolEntity).findOne({ where: { id } });
  }

  /** The Protocol a session is pinned to (protocols.document), or null if there is no such row. */
  async document(id: string, manager?: EntityManager): Promise<Protocol | null> {
    const cached = this.documents.get(id);
    if (cached) return cached;
    const rows: Array<{ document: Protocol }> = await (manager ?? this.dataSource.manager).query(
      `SELECT document FROM protocols WHERE id = $1`,
      [id],
    );
    if (rows.length === 0) return null;
    this.documents.set(id, rows[0].document);
    return rows[0].document;
  }
}
