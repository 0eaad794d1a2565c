import type {
  AccountResponse,
  AssignmentResponse,
  DeviceCredentialResponse,
  DeviceSummary,
  PairDeviceRequest,
  SessionSummary,
} from '@vigil/contracts';
import { ApiClient } from './api-client';
import type { SimulatorOptions } from './cli-options';
import type { PatientProfile } from './physiology.model';
import type { Logger } from './sim-log';

/**
 * What only staff may do, done through the supervisor API like an operator would: create a
 * missing simulated patient (an old demo database, or a load run beyond the seeded dozen) and
 * schedule a new session when a patient's last one has ended.
 */
export class StaffAccess {
  private readonly supervisor: ApiClient;
  private clinicianIdPromise: Promise<string> | null = null;

  constructor(
    private readonly options: SimulatorOptions,
    private readonly log: Logger,
    stopped: () => boolean,
  ) {
    this.supervisor = new ApiClient(
      options.url,
      options.supervisor,
      options.password,
      log,
      stopped,
    );
  }

  /** The clinician new patients go to: its id is only known by logging in as it. */
  clinicianId(): Promise<string> {
    this.clinicianIdPromise ??= (async () => {
      const clinician = new ApiClient(
        this.options.url,
        this.options.clinician,
        this.options.password,
        this.log,
      );
      await clinician.login();
      if (!clinician.user)
        throw new Error(`${this.options.clinician}: no user in the login answer`);
      return clinician.user.id;
    })().catch((err: Error) => {
      this.clinicianIdPromise = null;
      throw err;
    });
    return this.clinicianIdPromise;
  }

  async createPatient(email: string, name: string, profile: PatientProfile): Promise<string> {
    const account = await this.supervisor.request<AccountResponse>('POST', '/api/admin/patients', {
      email,
      name,
      password: this.options.password,
      baselineSbp: profile.baselineSbp,
      baselineDbp: profile.baselineDbp,
      baselineHr: profile.baselineHr,
      supportName: 'Simulated Support Person',
      supportPhone: '+44 7700 900000',
      notes: 'simulated patient (apps/simulator)',
    });
    if (!account.patientId) throw new Error(`${email}: created without a patient id`);
    await this.supervisor.request<AssignmentResponse>('POST', '/api/admin/assignments', {
      clinicianId: await this.clinicianId(),
      patientId: account.patientId,
    });
    this.log.info(`created ${email} and assigned it to ${this.options.clinician}`);
    return account.patientId;
  }

  /**
   * A credential for one of the patient's simulated devices: paired now, or, when an earlier run
   * paired it (its credential was shown once and is gone), rotated for a new one.
   */
  async deviceCredential(patientId: string, device: PairDeviceRequest): Promise<string> {
    const base = `/api/patients/${patientId}/devices`;
    const existing = (await this.supervisor.request<DeviceSummary[]>('GET', base)).find(
      (d) => d.status === 'active' && d.kind === device.kind && d.serial === device.serial,
    );
    const answer = existing
      ? await this.supervisor.request<DeviceCredentialResponse>(
          'POST',
          `${base}/${existing.id}/rotate`,
        )
      : await this.supervisor.request<DeviceCredentialResponse>('POST', base, device);
    return answer.credential;
  }

  schedule(patientId: string, clinicianId: string): Promise<SessionSummary> {
    return this.supervisor.request<SessionSummary>('POST', '/api/admin/sessions', {
      patientId,
      clinicianId,
      scheduledFor: new Date().toISOString(),
    });
  }
}
