import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ScheduleSessionRequest, SessionSummary } from '@vigil/contracts';
import type { RequestContext } from '../../common/request-context';
import { AccountsService } from '../accounts/accounts.service';
import { AuditService, auditFrom } from '../audit/audit.service';
import { ProtocolsService } from '../protocols/protocols.service';
import { SessionAccess, toSessionSummary } from '../sessions/session-access';
import { insertScheduledSession } from './session-schedule.repository';

/** A supervisor schedules a session: a patient, their clinician, a protocol and a time. */
@Injectable()
export class SessionScheduleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly protocols: ProtocolsService,
    private readonly access: SessionAccess,
  ) {}

  async schedule(ctx: RequestContext, body: ScheduleSessionRequest): Promise<SessionSummary> {
    const protocol = body.protocolId
      ? await this.protocols.find(body.protocolId)
      : await this.protocols.ensureDefault();
    if (!protocol) throw new BadRequestException('protocolId: no such protocol');
    const id = await this.dataSource.transaction(async (manager) => {
      await this.accounts.requireClinician(manager, body.clinicianId);
      await this.accounts.requirePatient(manager, body.patientId);
      const session = await insertScheduledSession(manager, {
        patientId: body.patientId,
        clinicianId: body.clinicianId,
        protocolId: protocol.id,
        scheduledFor: new Date(body.scheduledFor),
      });
      await this.audit.append(
        [
          auditFrom(ctx, {
            action: 'session.schedule',
            entityType: 'session',
            entityId: session.id,
            patientId: body.patientId,
            outcome: 'success',
          }),
        ],
        manager,
      );
      return session.id;
    });
    const row = await this.access.findVisible(ctx.user, id);
    if (!row) throw new NotFoundException('session: not found');
    return toSessionSummary(row);
  }
}
