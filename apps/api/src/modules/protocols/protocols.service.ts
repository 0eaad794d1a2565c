import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEFAULT_ORAL_PROTOCOL } from '@vigil/clinical';
import { ProtocolEntity } from './protocol.entity';

/**
 * Protocol versions are immutable rows: a session pins the one it was scheduled under, and a
 * change of thresholds is a new version. The default from libs/clinical is stored at boot if
 * that version is not there yet.
 */
@Injectable()
export class ProtocolsService implements OnModuleInit {
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
}
