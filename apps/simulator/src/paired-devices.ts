import type { DeviceKind, Reading } from '@vigil/contracts';
import { PatientDevice, type TokenSource } from './patient-device';
import type { Logger } from './sim-log';
import type { StaffAccess } from './staff-access';

/**
 * A paired device's credential as the socket's token. The server refusing it (revoked by a
 * clinician, or rotated by another simulator run) ends the device: the runner falls back to the
 * phone, as a patient would type readings in, and never re-pairs behind a clinician's back.
 */
class DeviceCredential implements TokenSource {
  refused = false;

  constructor(
    private readonly credential: string,
    private readonly onRefused: () => void,
  ) {}

  token(): Promise<string> {
    return Promise.resolve(this.credential);
  }

  invalidate(): void {
    if (this.refused) return;
    this.refused = true;
    this.onRefused();
  }
}

const DEVICES: Array<{ kind: DeviceKind; model: string; suffix: string }> = [
  { kind: 'pulse_oximeter', model: 'SimOx 1', suffix: 'OX' },
  { kind: 'bp_cuff', model: 'SimCuff 1', suffix: 'CUFF' },
];

/** A pairing that failed is tried again after 10 s, then 20, 40, ... at most 5 min apart. */
const PAIR_RETRY_FIRST_MS = 10_000;
const PAIR_RETRY_MAX_MS = 300_000;

/**
 * The simulated patient's pulse oximeter and BP cuff as paired devices (contract v1.2): paired by
 * the simulator's staff access, each streaming `vitals.submit` on its own `/live` socket with its
 * own credential, so the board shows device provenance. Readings go to the phone instead while a
 * device is not (or no longer) paired.
 */
export class PairedDevices {
  private readonly sockets = new Map<DeviceKind, PatientDevice>();
  /** Devices whose credential the server refused: never paired again by this run. */
  private readonly retired = new Set<DeviceKind>();
  /** Readings measured while their device was being paired: sent by it once connected. */
  private readonly held = new Map<DeviceKind, Array<{ sessionId: string; readings: Reading[] }>>();

  constructor(
    private readonly staff: StaffAccess,
    private readonly log: Logger,
    private readonly label: string,
    /** Where a device's readings go when it cannot be paired: the phone. */
    private readonly fallback: (sessionId: string, readings: Reading[]) => void,
  ) {}

  private connecting: Promise<void> | null = null;
  private closed = false;
  /** Where to pair again, and when: a pairing that failed (a busy server, a timeout) is retried. */
  private target: { url: string; patientId: string } | null = null;
  private readonly unpaired = new Set<DeviceKind>();
  private retryAt = 0;
  private retryMs = PAIR_RETRY_FIRST_MS;

  /**
   * Pairs (or, after a restart, rotates) both devices and connects them, in the background: the
   * session does not wait for it (the phone sends readings until a device is connected), and
   * failures only warn.
   */
  connect(url: string, patientId: string): void {
    this.target = { url, patientId };
    this.connecting ??= this.connectAll(url, patientId).finally(() => {
      this.connecting = null;
    });
  }

  private async connectAll(url: string, patientId: string): Promise<void> {
    for (const spec of DEVICES) {
      if (this.sockets.has(spec.kind) || this.retired.has(spec.kind)) continue;
      try {
        const credential = await this.staff.deviceCredential(patientId, {
          kind: spec.kind,
          manufacturer: 'Vigil Simulator',
          model: spec.model,
          serial: `${this.label.toUpperCase()}-${spec.suffix}`,
        });
        if (this.closed) return; // stopped while pairing: open nothing more, send nothing
        const token = new DeviceCredential(credential, () => this.drop(spec.kind));
        const socket = new PatientDevice(token, this.log, `${this.label} ${spec.kind}`);
        socket.connect(url);
        this.sockets.set(spec.kind, socket);
        this.unpaired.delete(spec.kind);
        for (const h of this.take(spec.kind))
          socket.submit({ kind: 'vitals', sessionId: h.sessionId, readings: h.readings });
      } catch (err) {
        // A real device keeps trying to pair; until it does, the phone sends its readings.
        this.unpaired.add(spec.kind);
        this.log.warn(
          `${this.label}: could not pair the ${spec.kind} (${(err as Error).message}); the phone sends its readings, pairing again in ${this.retryMs / 1000} s`,
        );
        for (const h of this.take(spec.kind)) this.fallback(h.sessionId, h.readings);
      }
    }
    if (this.unpaired.size === 0) return;
    this.retryAt = Date.now() + this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, PAIR_RETRY_MAX_MS);
  }

  /**
   * Sends through the device if it is paired (holding the readings while it is being paired),
   * else returns false (the phone sends).
   */
  submit(kind: 'pulse_oximeter' | 'bp_cuff', sessionId: string, readings: Reading[]): boolean {
    const socket = this.sockets.get(kind);
    if (socket) {
      socket.submit({ kind: 'vitals', sessionId, readings });
      return true;
    }
    if (this.retired.has(kind)) return false;
    if (!this.connecting && this.unpaired.has(kind) && this.target && Date.now() >= this.retryAt)
      this.connect(this.target.url, this.target.patientId);
    if (!this.connecting) return false;
    const held = this.held.get(kind) ?? [];
    held.push({ sessionId, readings });
    this.held.set(kind, held);
    return true;
  }

  private take(kind: DeviceKind): Array<{ sessionId: string; readings: Reading[] }> {
    const held = this.held.get(kind) ?? [];
    this.held.delete(kind);
    return held;
  }

  close(): void {
    this.closed = true;
    for (const socket of this.sockets.values()) socket.close();
    this.sockets.clear();
  }

  get acknowledged(): number {
    return [...this.sockets.values()].reduce((n, s) => n + s.acknowledged, 0);
  }

  private drop(kind: DeviceKind): void {
    const socket = this.sockets.get(kind);
    if (!socket) return;
    this.retired.add(kind);
    this.log.warn(
      `${this.label}: the ${kind} credential was refused (revoked?); the phone sends its readings`,
    );
    socket.close();
    this.sockets.delete(kind);
  }
}
