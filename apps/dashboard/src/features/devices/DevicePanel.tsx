import './devices.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  DEVICE_KINDS,
  type DeviceCredentialResponse,
  type DeviceKind,
  type DeviceSummary,
} from '@vigil/contracts';
import { formatAge, formatClock } from '../../read-model/staleness';
import { DEVICE_KIND_LABEL, KIND_LABEL, originLabel, type Provenance } from './device-provenance';
import { listDevices, pairDevice, revokeDevice, rotateDevice } from './devices-api';
import { ErrorText } from '../../shared/components/ErrorText';
import { LoadError } from '../../shared/components/LoadError';

const ago = (iso: string | null, now: number) =>
  iso ? `${formatAge(Math.max(0, now - Date.parse(iso)))} ago` : 'never';

/**
 * The patient's paired devices (contract v1.2) beside the session: where each reading came from
 * and when each device last reported; pair a device (its credential is shown once), rotate or
 * revoke one. Staff only: the API refuses anyone else.
 */
export function DevicePanel({
  patientId,
  provenance,
  now,
}: {
  patientId: string;
  provenance: Provenance;
  now: number;
}) {
  const queryClient = useQueryClient();
  const devices = useQuery({
    queryKey: ['devices', patientId],
    queryFn: () => listDevices(patientId),
    refetchInterval: 15_000,
  });
  const [issued, setIssued] = useState<DeviceCredentialResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['devices', patientId] });

  const run = async (work: () => Promise<DeviceCredentialResponse | DeviceSummary>) => {
    setBusy(true);
    setError(null);
    try {
      const result = await work();
      if ('credential' in result) setIssued(result);
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const active = (devices.data ?? []).filter((d) => d.status === 'active');
  const revoked = (devices.data ?? []).filter((d) => d.status === 'revoked');
  const activity = new Map(provenance.byDevice.map((a) => [a.device.id, a]));
  const latest = Object.values(provenance.latest).sort((a, b) => a.kind.localeCompare(b.kind));

  return (
    <section
      className="panel device-panel"
      aria-labelledby="devices-title"
      data-testid="device-panel"
    >
      <h2 id="devices-title">
        Devices <span className="muted">({active.length} paired)</span>
      </h2>

      <h3>Latest readings by source</h3>
      {latest.length === 0 ? (
        <p className="muted">No readings yet.</p>
      ) : (
        <table className="device-table" data-testid="reading-sources">
          <tbody>
            {latest.map((o) => (
              <tr key={o.kind} data-testid={`source-${o.kind}`}>
                <th scope="row">{KIND_LABEL[o.kind]}</th>
                <td>{o.value}</td>
                <td>{originLabel(o)}</td>
                <td className="muted">
                  <time dateTime={o.measuredAt}>{ago(o.measuredAt, now)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {issued && (
        <div className="device-credential" role="status" data-testid="device-credential">
          <p>
            <strong>
              Credential for {DEVICE_KIND_LABEL[issued.device.kind]} {issued.device.serial}
            </strong>
            : shown once, copy it into the device now. Vigil keeps only a hash.
          </p>
          <code>{issued.credential}</code>
          <button type="button" onClick={() => setIssued(null)}>
            Done, hide it
          </button>
        </div>
      )}
      <ErrorText error={error} className="banner banner-error" />
      <LoadError query={devices} what="the devices" />

      <ul className="device-list">
        {active.map((d) => (
          <DeviceRow
            key={d.id}
            device={d}
            now={now}
            lastReportedAt={activity.get(d.id)?.lastReportedAt ?? d.lastSeenAt}
            busy={busy}
            onRotate={() => void run(() => rotateDevice(patientId, d.id))}
            onRevoke={(reason) => void run(() => revokeDevice(patientId, d.id, reason))}
          />
        ))}
      </ul>
      <PairForm busy={busy} onPair={(body) => void run(() => pairDevice(patientId, body))} />
      {revoked.length > 0 && (
        <details>
          <summary className="muted">{revoked.length} revoked</summary>
          <ul className="device-list">
            {revoked.map((d) => (
              <li key={d.id} className="muted">
                {DEVICE_KIND_LABEL[d.kind]} {d.manufacturer} {d.model} {d.serial}: revoked{' '}
                {d.revokedAt ? formatClock(d.revokedAt) : ''}
                {d.revokeReason ? ` (${d.revokeReason})` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function DeviceRow({
  device,
  now,
  lastReportedAt,
  busy,
  onRotate,
  onRevoke,
}: {
  device: DeviceSummary;
  now: number;
  lastReportedAt: string | null;
  busy: boolean;
  onRotate: () => void;
  onRevoke: (reason: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <li data-testid="device" data-device-id={device.id}>
      <div>
        <strong>{DEVICE_KIND_LABEL[device.kind]}</strong> {device.manufacturer} {device.model}{' '}
        <span className="muted">#{device.serial}</span>
      </div>
      <div className="muted" data-testid="device-last-report">
        Last reported{' '}
        {lastReportedAt ? (
          <time dateTime={lastReportedAt}>{ago(lastReportedAt, now)}</time>
        ) : (
          'never'
        )}{' '}
        · credential {device.credentialHint}
      </div>
      {confirming ? (
        <form
          className="device-actions"
          onSubmit={(e) => {
            e.preventDefault();
            onRevoke(reason.trim());
            setConfirming(false);
          }}
        >
          <label>
            Reason{' '}
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          </label>
          <button type="submit" disabled={busy}>
            Revoke now
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="device-actions">
          <button type="button" disabled={busy} onClick={onRotate}>
            Rotate credential
          </button>
          <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
            Revoke…
          </button>
        </div>
      )}
    </li>
  );
}

const DETAIL_FIELDS = [
  ['manufacturer', 'Manufacturer'],
  ['model', 'Model'],
  ['serial', 'Serial'],
] as const;

function PairForm({
  busy,
  onPair,
}: {
  busy: boolean;
  onPair: (body: { kind: DeviceKind; manufacturer: string; model: string; serial: string }) => void;
}) {
  const [kind, setKind] = useState<DeviceKind>('pulse_oximeter');
  const [details, setDetails] = useState({ manufacturer: '', model: '', serial: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onPair({
      kind,
      manufacturer: details.manufacturer.trim(),
      model: details.model.trim(),
      serial: details.serial.trim(),
    });
    // The next device is most often another of the same make and model.
    setDetails((d) => ({ ...d, serial: '' }));
  };
  return (
    <form className="device-pair" onSubmit={submit} aria-label="Pair a device">
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as DeviceKind)}>
          {DEVICE_KINDS.map((k) => (
            <option key={k} value={k}>
              {DEVICE_KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </label>
      {DETAIL_FIELDS.map(([key, label]) => (
        <label key={key}>
          {label}
          <input
            required
            maxLength={120}
            value={details[key]}
            onChange={(e) => setDetails((d) => ({ ...d, [key]: e.target.value }))}
          />
        </label>
      ))}
      <button type="submit" disabled={busy}>
        Pair device
      </button>
    </form>
  );
}
