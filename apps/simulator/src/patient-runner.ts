import { LIVE_STATES, type Reading, type SessionSummary } from '@vigil/contracts';
import { activeEvent, type AdverseEvent } from './adverse-events';
import { ApiClient, ApiError } from './api-client';
import { cuffReadings, oximeterReadings } from './device-readings';
import { accountEmail, type SimulatorOptions } from './cli-options';
import { PairedDevices } from './paired-devices';
import { PatientDevice } from './patient-device';
import { checkInAt, drawProfile, measureVitals, type SessionPhysiology } from './physiology.model';
import { mixSeed, mulberry32 } from './prng';
import { sleep, type Logger } from './sim-log';
import { nextCheckInMinute, nextCuffMinute, planSession, staggeredStartMin } from './session-plan';
import { confirmDose, listOwnSessions, submitScreening, transition } from './session-steps';
import type { StaffAccess } from './staff-access';

const HEARTBEAT_MS = 15_000;
const isLive = (s: SessionSummary) => LIVE_STATES.includes(s.state);

/** One simulated patient: logs in, then runs its sessions one after another through the API. */
export class PatientRunner {
  readonly label: string;
  readonly device: PatientDevice;
  /** The paired oximeter and cuff (contract v1.2); null with --no-devices. */
  readonly devices: PairedDevices | null;
  private readonly api: ApiClient;
  private readonly email: string;
  private patientId: string | null = null;
  private cycle = 0;
  /** The device_silent adverse event: no heartbeats, no readings. */
  private silent = false;
  /** The server said the session is no longer live. */
  private ended = false;
  /** The session is in a live state (screening onwards), so heartbeats count. */
  private live = false;
  /** Set while a session is being driven, for the status line. */
  state: string = 'starting';

  constructor(
    private readonly index: number,
    private readonly options: SimulatorOptions,
    private readonly staff: StaffAccess,
    private readonly log: Logger,
    private readonly signal: AbortSignal,
  ) {
    this.email = accountEmail(options, index);
    this.label = this.email.split('@')[0];
    this.api = new ApiClient(options.url, this.email, options.password, log, () => signal.aborted);
    this.device = new PatientDevice(this.api, log, this.label, (path, body) =>
      this.api.request<Record<string, unknown>>('POST', path, body),
    );
    this.devices = options.devices
      ? new PairedDevices(staff, log, this.label, (sessionId, readings) =>
          this.device.submit({ kind: 'vitals', sessionId, readings }),
        )
      : null;
  }

  /**
   * Runs sessions until the stop signal (or, with --no-repeat, one session). A run that throws is
   * started over by the simulator: the phone, its outbox (what is not yet acknowledged) and the
   * paired devices live on into the next run, and only a run that ends for good closes them;
   * closed, every later submission was dropped silently while heartbeats kept the patient looking
   * online.
   */
  async run(): Promise<void> {
    await this.ensureAccount();
    this.device.connect(this.options.url);
    let failed = true;
    try {
      while (!this.signal.aborted) {
        const session = await this.nextSession();
        if (!session) {
          await sleep(30_000, this.signal);
          continue;
        }
        await this.drive(session);
        this.cycle++;
        if (!this.options.repeat) break;
        this.state = 'between sessions';
        await sleep(20_000, this.signal);
      }
      failed = false;
    } finally {
      if (!failed || this.signal.aborted) this.close();
    }
  }

  /** Closes the phone (its socket and outbox) and the paired devices, for good. */
  close(): void {
    this.device.close();
    this.devices?.close();
  }

  private realMs(simMinutes: number): number {
    return (simMinutes * 60_000) / this.options.speed;
  }

  private async ensureAccount(): Promise<void> {
    try {
      await this.api.login();
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401 || !this.options.provision) throw err;
      const profile = drawProfile(mulberry32(mixSeed(this.options.seed, this.index, 0, 1)));
      this.patientId = await this.staff.createPatient(
        this.email,
        `Simulated Patient ${this.label.replace(/\D/g, '')}`,
        profile,
      );
      await this.api.login();
    }
  }

  /** Picks up a live session as it stands, else a scheduled one, else schedules a new one. */
  private async nextSession(): Promise<SessionSummary | null> {
    const sessions = await listOwnSessions(this.api);
    const found = sessions.find(isLive) ?? sessions.find((s) => s.state === 'scheduled');
    if (found) return found;
    const patientId = this.patientId ?? sessions[0]?.patient.id;
    if (!patientId) {
      this.log.warn(`${this.label}: no session and no patient id to schedule one for`);
      return null;
    }
    const clinicianId = sessions[0]?.clinician.id ?? (await this.staff.clinicianId());
    const scheduled = await this.staff.schedule(patientId, clinicianId);
    this.log.info(`${this.label}: scheduled a new session ${scheduled.id}`);
    return scheduled;
  }

  /** Presence from the moment the phone opens the session, as the real app does. */
  private async drive(session: SessionSummary): Promise<void> {
    this.devices?.connect(this.options.url, session.patient.id);
    this.silent = false;
    this.ended = false;
    this.live = isLive(session);
    const beat = () => {
      // Only a live session takes heartbeats; a scheduled one would answer "not live".
      if (this.silent || !this.live) return;
      void this.device.heartbeat(session.id).then((live) => {
        if (!live) this.ended = true;
      });
    };
    beat();
    const heartbeats = setInterval(beat, HEARTBEAT_MS);
    try {
      await this.driveSession(session);
    } finally {
      clearInterval(heartbeats);
    }
  }

  private async driveSession(session: SessionSummary): Promise<void> {
    const id = session.id;
    const firstFresh = this.cycle === 0 && session.state === 'scheduled';
    const startMin = session.dosedAt
      ? (Date.now() - Date.parse(session.dosedAt)) / 60_000
      : firstFresh
        ? staggeredStartMin(this.index, this.options.sessions, this.options.stagger)
        : -2;
    if (startMin > this.options.maxSessionHours * 60) {
      await transition(
        this.api,
        id,
        'abort',
        'simulated session expired; the simulator replaces it',
      );
      this.log.info(`${this.label}: aborted an expired session ${id}`);
      return;
    }
    const physiology = planSession({
      seed: this.options.seed,
      patientIndex: this.index,
      cycle: this.cycle,
      rates: this.options.adverse,
      speed: this.options.speed,
      fromMin: Math.max(0, startMin),
    });
    this.log.info(
      `${this.label}: session ${id} (${session.state}) from minute ${Math.round(startMin)}` +
        (physiology.events.length
          ? `, adverse: ${physiology.events.map((e) => `${e.kind}@${Math.round(e.startMin)}`).join(' ')}`
          : ''),
    );
    let state = session.state;
    if (state === 'scheduled' && startMin < 0) {
      state = (await transition(this.api, id, 'start_screening')).state;
      this.state = 'screening';
      this.live = true;
      // The patient and support person take a while over the form.
      await sleep(this.realMs(-startMin - 1), this.signal);
    }
    if (state === 'scheduled' || state === 'screening') {
      const result = await submitScreening(this.api, id, physiology);
      this.live = true;
      if (result.state !== 'ready') {
        this.log.warn(`${this.label}: screening ${result.gate.status}; retrying in a minute`);
        await sleep(60_000, this.signal);
        return;
      }
      state = 'ready';
      this.state = 'ready';
      await sleep(this.realMs(Math.min(1, Math.max(0, -startMin))), this.signal);
    }
    if (this.signal.aborted) return;
    if (state === 'ready') {
      const takenAt = new Date(Date.now() - Math.max(0, startMin) * 60_000);
      state = (await confirmDose(this.api, id, takenAt)).state;
    }
    if (state === 'dosed') state = (await transition(this.api, id, 'start_monitoring')).state;
    const dosedAtMs = session.dosedAt
      ? Date.parse(session.dosedAt)
      : Date.now() - Math.max(0, startMin) * 60_000;
    await this.monitor(id, physiology, Math.max(0, startMin), dosedAtMs);
  }

  /** Through the paired device when there is one, else through the phone. */
  private sendVitals(from: 'pulse_oximeter' | 'bp_cuff', sessionId: string, readings: Reading[]) {
    if (!this.devices?.submit(from, sessionId, readings))
      this.device.submit({ kind: 'vitals', sessionId, readings });
  }

  /** The monitoring phase, ticking once a real second, until the session is no longer live. */
  private async monitor(
    sessionId: string,
    p: SessionPhysiology,
    fromMin: number,
    dosedAtMs: number,
  ): Promise<void> {
    const startedAt = Date.now();
    const simMinute = () => fromMin + ((Date.now() - startedAt) / 60_000) * this.options.speed;
    const batchSize = 2 * Math.max(1, Math.round(1 / this.options.rate));
    let batch: Reading[] = [];
    let nextCheckIn = fromMin;
    let nextCuff = fromMin;
    const announced = new Set<AdverseEvent>();
    while (!this.ended && !this.signal.aborted) {
      const now = Date.now();
      const m = simMinute();
      this.state = `monitoring, minute ${Math.round(m)}`;
      for (const e of p.events) {
        if (m < e.startMin || announced.has(e)) continue;
        announced.add(e);
        this.log.info(`${this.label}: ${e.kind} at simulated minute ${Math.round(m)}`);
        if (e.kind === 'help_press') {
          this.device.submit({ kind: 'help', sessionId, note: 'Simulated: help button pressed' });
        }
      }
      this.silent = activeEvent(p.events, 'device_silent', m) !== undefined;
      if (this.silent) {
        batch = []; // the phone is off: nothing is measured, sent or heard
      } else {
        const v = measureVitals(p, m);
        const at = new Date(now).toISOString();
        batch.push(...oximeterReadings(v, at));
        if (batch.length >= batchSize) {
          this.sendVitals('pulse_oximeter', sessionId, batch);
          batch = [];
        }
        if (m >= nextCuff) {
          this.sendVitals('bp_cuff', sessionId, cuffReadings(v, at));
          nextCuff = nextCuffMinute(
            m,
            { sbp: v.sbp, dbp: v.dbp },
            { sbp: p.profile.baselineSbp, dbp: p.profile.baselineDbp },
          );
        }
        if (m >= nextCheckIn) {
          if (!activeEvent(p.events, 'missed_checkin', m)) {
            this.device.submit({
              kind: 'checkin',
              sessionId,
              body: { ...checkInAt(p, m), takenAt: at },
            });
          }
          nextCheckIn = nextCheckInMinute(m);
        }
      }
      if (now - dosedAtMs > this.options.maxSessionHours * 3_600_000) {
        await transition(
          this.api,
          sessionId,
          'abort',
          'simulated session expired; the simulator replaces it',
        );
        return;
      }
      await sleep(1_000 - ((Date.now() - startedAt) % 1_000), this.signal);
    }
    if (this.ended) this.log.info(`${this.label}: session ${sessionId} is no longer live`);
  }
}
