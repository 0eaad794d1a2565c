import { Inject, Injectable } from '@nestjs/common';
import type { Bundle } from 'fhir/r4';
import { CLOCK, type Clock } from '../../common/clock';
import type { RequestContext } from '../../common/request-context';
import { UsersService } from '../accounts/users.service';
import { AlertsService } from '../alerts/alerts.service';
import { AuditLogService } from '../audit/audit-log.service';
import { sessionTimes } from '../sessions/session-access';
import { SessionsService } from '../sessions/sessions.service';
import { readAllEvents } from '../events/event-reads';
import { redactForPatient } from './fhir-redaction';
import { buildSessionBundle } from './fhir-bundle';

/** FHIR R4 export of one session, for whoever may read it; the export is audited. */
@Injectable()
export class FhirService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly alertsService: AlertsService,
    private readonly users: UsersService,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  exportSession(ctx: RequestContext, sessionId: string): Promise<Bundle> {
    return this.sessions.readVisible(
      ctx,
      sessionId,
      'session.fhir.export',
      async (row, manager) => {
        const events = await readAllEvents(manager, sessionId);
        const alerts = await this.alertsService.sessionAlerts(manager, sessionId);
        const audit = await this.auditLog.sessionTrail(manager, {
          id: sessionId,
          patientId: row.patient_id,
        });
        const staffIds = [
          ...alerts.flatMap((a) => [a.acknowledgedBy, a.resolvedBy]),
          ...audit.filter((a) => a.actorRole !== 'patient').map((a) => a.actorId),
          ...events.filter((e) => e.actorId !== row.patient_user_id).map((e) => e.actorId),
        ].filter((id): id is string => id !== null && id !== row.patient_user_id);
        const input = {
          session: {
            id: row.id,
            state: row.state,
            ...sessionTimes(row),
            patient: { id: row.patient_id, userId: row.patient_user_id, name: row.patient_name },
            clinician: { id: row.clinician_id, name: row.clinician_name },
          },
          events,
          alerts,
          audit,
          staff: await this.users.names(manager, staffIds),
          generatedAt: this.clock.now().toISOString(),
        };
        return buildSessionBundle(ctx.user.role === 'patient' ? redactForPatient(input) : input);
      },
    );
  }
}
