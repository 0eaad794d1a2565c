import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock';
import { AuditService, type AuditEntry } from '../audit/audit.service';
import { PasswordService } from '../auth/password.service';
import { EventStore } from '../events/event-store';
import { ProtocolsService } from '../protocols/protocols.service';
import { insertSimulatedPatients, simulatedPatientEmail } from './demo-sim-patients';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

export const DEMO_PASSWORD = 'vigil-demo';

export const DEMO_ACCOUNTS = {
  supervisor: { email: 'supervisor@vigil.demo', name: 'Sam Supervisor', role: 'supervisor' },
  clinician: { email: 'clinician@vigil.demo', name: 'Dr Casey Clinician', role: 'clinician' },
  clinician2: { email: 'clinician2@vigil.demo', name: 'Dr Robin Second', role: 'clinician' },
  patient1: { email: 'patient1@vigil.demo', name: 'Pat One', role: 'patient' },
} as const;

/** The audit row of a demo seeding step: the system acting, no request behind it. */
function seedAudit(detail?: Record<string, unknown>): AuditEntry {
  return {
    actorId: null,
    actorRole: 'system',
    action: 'demo.seed',
    entityType: 'system',
    entityId: null,
    patientId: null,
    outcome: 'success',
    ip: null,
    userAgent: null,
    ...(detail ? { detail } : {}),
  };
}

/**
 * Demo mode only: on an empty database, the accounts of the public contract's demo section,
 * patient1's session in `monitoring`, dosed ten minutes before start-up (never driven by the
 * simulator) and patient1's next session scheduled an hour after start-up (to try screening and
 * the dose); on every start, the simulator's patients that are missing.
 */
@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passwords: PasswordService,
    private readonly protocols: ProtocolsService,
    private readonly events: EventStore,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async seedIfEmpty(): Promise<boolean> {
    const [{ count }]: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM users`,
    );
    if (count > 0) return false;
    const protocol = await this.protocols.ensureDefault();
    const hash = await this.passwords.hash(DEMO_PASSWORD);
    const now = this.clock.now();
    const dosedAt = new Date(now.getTime() - 10 * 60_000);

    const sessionId = await this.dataSource.transaction(async (manager) => {
      const ids: Record<string, string> = {};
      for (const [key, account] of Object.entries(DEMO_ACCOUNTS)) {
        const [row]: Array<{ id: string }> = await manager.query(
          `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`,
          [account.email, account.name, account.role, hash],
        );
        ids[key] = row.id;
      }
      const [patient]: Array<{ id: string }> = await manager.query(
        `INSERT INTO patients (user_id, date_of_birth, baseline_sbp, baseline_dbp, baseline_hr, support_name, support_phone, phone)
         VALUES ($1, '1984-03-02', 124, 78, 72, 'Alex One', '+44 7700 900123', '+44 7700 900001') RETURNING id`,
        [ids.patient1],
      );
      await manager.query(
        `INSERT INTO clinician_assignments (clinician_id, patient_id, valid_from, created_by) VALUES ($1, $2, $3, $4)`,
        [ids.clinician, patient.id, new Date(now.getTime() - 24 * 3600_000), ids.supervisor],
      );
      const [session]: Array<{ id: string }> = await manager.query(
        `INSERT INTO sessions (patient_id, clinician_id, protocol_id, state, scheduled_for, dosed_at)
         VALUES ($1, $2, $3, 'monitoring', $4, $5) RETURNING id`,
        [
          patient.id,
          ids.clinician,
          protocol.id,
          new Date(dosedAt.getTime() - 30 * 60_000),
          dosedAt,
        ],
      );
      // A second session for patient1, due an hour after start-up, so the demo can try the
      // phone's screening and dose: it opens once the monitoring session above has ended.
      await manager.query(
        `INSERT INTO sessions (patient_id, clinician_id, protocol_id, state, scheduled_for)
         VALUES ($1, $2, $3, 'scheduled', $4)`,
        [patient.id, ids.clinician, protocol.id, new Date(now.getTime() + 60 * 60_000)],
      );
      await this.audit.append([seedAudit()], manager);
      return session.id;
    });
    await this.events.append([
      {
        sessionId,
        type: 'session.state_changed',
        actorId: null,
        clientId: null,
        bodyHash: null,
        clientTime: null,
        data: {
          from: 'dosed',
          to: 'monitoring',
          dosedAt: dosedAt.toISOString(),
          reason: 'demo seed',
        },
        audit: null,
      },
    ]);
    this.logger.log("seeded the demo accounts and patient1's monitoring session");
    return true;
  }

  /**
   * Demo mode, every start: the simulated patients sim01..simN (N = DEMO_SIMULATED_PATIENTS) that
   * are missing, each with the demo password, an assignment to clinician@vigil.demo and a
   * scheduled session. So `npm start -- --sessions 200` needs no account created through the
   * admin API, whose password policy rightly refuses the 10-character demo password.
   */
  async ensureSimulatedPatients(): Promise<number> {
    const wanted = Array.from({ length: this.config.DEMO_SIMULATED_PATIENTS }, (_, i) => i);
    if (wanted.length === 0) return 0;
    const existing: Array<{ email: string }> = await this.dataSource.query(
      `SELECT email FROM users WHERE email = ANY($1::text[])`,
      [wanted.map(simulatedPatientEmail)],
    );
    const have = new Set(existing.map((r) => r.email));
    const missing = wanted.filter((i) => !have.has(simulatedPatientEmail(i)));
    if (missing.length === 0) return 0;
    const staff: Array<{ id: string; email: string }> = await this.dataSource.query(
      `SELECT id, email FROM users WHERE email = ANY($1::text[])`,
      [[DEMO_ACCOUNTS.clinician.email, DEMO_ACCOUNTS.supervisor.email]],
    );
    const idOf = (email: string) => staff.find((r) => r.email === email)?.id;
    const clinician = idOf(DEMO_ACCOUNTS.clinician.email);
    const supervisor = idOf(DEMO_ACCOUNTS.supervisor.email);
    if (!clinician || !supervisor) {
      this.logger.warn('no demo clinician or supervisor in this database: no simulated patients');
      return 0;
    }
    const protocol = await this.protocols.ensureDefault();
    const hash = await this.passwords.hash(DEMO_PASSWORD);
    await this.dataSource.transaction(async (manager) => {
      await insertSimulatedPatients(
        manager,
        { clinician, supervisor },
        protocol.id,
        hash,
        this.clock.now(),
        missing,
      );
      await this.audit.append([seedAudit({ simulatedPatients: missing.length })], manager);
    });
    this.logger.log(`seeded ${missing.length} simulated patients (sim01..)`);
    return missing.length;
  }
}
