import {
  READING_KINDS,
  type ReadingDevice,
  type ReadingKind,
  type SessionEvent,
} from '@vigil/contracts';

/** Where one reading came from (contract v1.2): a paired device, the phone's device path, or typed in. */
export interface ReadingOrigin {
  kind: ReadingKind;
  value: number;
  measuredAt: string;
  /** When the server stored it (the event's commit time). */
  storedAt: string;
  seq: number;
  device: ReadingDevice | null;
  source: 'device' | 'manual';
}

export interface DeviceActivity {
  device: ReadingDevice;
  /** The latest commit time of a reading from this device: when it last reported. */
  lastReportedAt: string;
  readings: number;
  kinds: ReadingKind[];
}

export interface Provenance {
  /** The newest reading of each kind, with its origin. */
  latest: Partial<Record<ReadingKind, ReadingOrigin>>;
  /** The most recent readings, newest first (at most `RECENT`). */
  recent: ReadingOrigin[];
  byDevice: DeviceActivity[];
  lastSeq: number;
}

export const RECENT = 12;

export const emptyProvenance = (): Provenance => ({
  latest: {},
  recent: [],
  byDevice: [],
  lastSeq: 0,
});

const isKind = (v: unknown): v is ReadingKind => (READING_KINDS as readonly unknown[]).includes(v);

function deviceOf(data: Record<string, unknown>): ReadingDevice | null {
  const d = data.device as Partial<ReadingDevice> | undefined;
  return d && typeof d.id === 'string' && typeof d.kind === 'string'
    ? {
        id: d.id,
        kind: d.kind,
        manufacturer: String(d.manufacturer ?? ''),
        model: String(d.model ?? ''),
        via: d.via === 'fhir' ? 'fhir' : 'socket',
      }
    : null;
}

/** Folds new `vitals.recorded` events (seq order) into the provenance; the input is not changed. */
export function applyProvenance(state: Provenance, events: readonly SessionEvent[]): Provenance {
  let next = state;
  for (const event of events) {
    if (event.seq <= next.lastSeq) continue;
    next = { ...next, lastSeq: event.seq };
    if (event.type !== 'vitals.recorded') continue;
    const device = deviceOf(event.data);
    const readings = Array.isArray(event.data.readings) ? (event.data.readings as unknown[]) : [];
    const origins: ReadingOrigin[] = [];
    for (const raw of readings) {
      const r = raw as Record<string, unknown>;
      if (!isKind(r.kind) || typeof r.value !== 'number') continue;
      origins.push({
        kind: r.kind,
        value: r.value,
        measuredAt: typeof r.measuredAt === 'string' ? r.measuredAt : event.at,
        storedAt: event.at,
        seq: event.seq,
        device,
        source: r.source === 'manual' ? 'manual' : 'device',
      });
    }
    if (origins.length === 0) continue;
    const latest = { ...next.latest };
    for (const o of origins) {
      const prev = latest[o.kind];
      if (!prev || Date.parse(prev.measuredAt) <= Date.parse(o.measuredAt)) latest[o.kind] = o;
    }
    let byDevice = next.byDevice;
    if (device) {
      const known = byDevice.find((a) => a.device.id === device.id);
      const kinds = [...new Set([...(known?.kinds ?? []), ...origins.map((o) => o.kind)])];
      const activity: DeviceActivity = {
        device,
        lastReportedAt: event.at,
        readings: (known?.readings ?? 0) + origins.length,
        kinds,
      };
      byDevice = [activity, ...byDevice.filter((a) => a.device.id !== device.id)];
    }
    next = {
      ...next,
      latest,
      byDevice,
      recent: [...origins.reverse(), ...next.recent].slice(0, RECENT),
    };
  }
  return next;
}

export const KIND_LABEL: Record<ReadingKind, string> = {
  heart_rate: 'Heart rate',
  bp_systolic: 'Systolic BP',
  bp_diastolic: 'Diastolic BP',
  spo2: 'SpO2',
  resp_rate: 'Resp. rate',
  temperature: 'Temperature',
};

export const DEVICE_KIND_LABEL: Record<string, string> = {
  bp_cuff: 'BP cuff',
  pulse_oximeter: 'Pulse oximeter',
  hub: 'Hub',
};

/** "Pulse oximeter Acme OX-1", or how a reading without a device reached us. */
export function originLabel(o: Pick<ReadingOrigin, 'device' | 'source'>): string {
  if (o.device)
    return `${DEVICE_KIND_LABEL[o.device.kind] ?? o.device.kind} · ${o.device.manufacturer} ${o.device.model}`;
  return o.source === 'manual' ? 'Typed in on the phone' : 'Phone (no paired device)';
}
