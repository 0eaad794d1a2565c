import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../shared/api';
import { unitLabel } from '../../read-model/overrides-in-force';
import { LIVE_SESSIONS_KEY } from '../workspace/useLiveSessions';
import type { ProtocolChangeRecord } from '../../read-model/session-model';
import { formatClock } from '../../read-model/staleness';
import { overridesApi, type OverrideSettingView, type OverridesApi } from './overrides-api';
import { ErrorText } from '../../shared/components/ErrorText';
import { LoadError } from '../../shared/components/LoadError';
import { OverrideChanges } from './OverrideChanges';
import { ReasonField } from './ReasonField';

interface Props {
  patientId: string;
  sessionId: string;
  /** `protocol.overridden` events of this session: a change made elsewhere refreshes the list. */
  changes: readonly ProtocolChangeRecord[];
  /** A supervisor reads; the assigned clinicians change. */
  canEdit?: boolean;
  api?: OverridesApi;
}

const unitText = (unit: string) => (unit ? ` ${unitLabel(unit)}` : '');

/** The bounds in words, as the server states them when it refuses a value. */
function bounds(s: OverrideSettingView): string {
  return `${s.min}–${s.max}${unitText(s.unit)}`;
}

type Mode = { kind: 'view' } | { kind: 'set' } | { kind: 'clear' };

function SettingRow(props: {
  s: OverrideSettingView;
  canEdit: boolean;
  onSet: (value: number, reason: string) => Promise<unknown>;
  onClear: (reason: string) => Promise<unknown>;
}) {
  const { s, canEdit } = props;
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [value, setValue] = useState(String(s.value));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const valueId = useId();

  const close = () => {
    setMode({ kind: 'view' });
    setReason('');
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let action: () => Promise<unknown>;
    if (mode.kind === 'set') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) {
        setError(`Enter a number for ${s.label}.`);
        return;
      }
      // Said here in words before a round trip; the server checks the same bounds.
      if (n < s.min || n > s.max) {
        setError(`${s.label} must be within ${bounds(s)}; ${n} is outside.`);
        return;
      }
      action = () => props.onSet(n, reason.trim());
    } else {
      action = () => props.onClear(reason.trim());
    }
    setBusy(true);
    setError(null);
    try {
      await action();
      close();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li
      className={`override-row${s.override ? ' override-active' : ''}`}
      data-testid="override-row"
      data-setting={s.setting}
    >
      <div className="override-head">
        <strong>{s.label}</strong>{' '}
        <span data-testid="override-value">
          {s.value}
          {unitText(s.unit)}
        </span>{' '}
        <span className="muted">
          {s.override
            ? `(default ${s.default}, allowed ${bounds(s)})`
            : `default, allowed ${bounds(s)}`}
        </span>
      </div>
      {s.override && (
        <p className="override-audit muted">
          Set by {s.override.byName || 'a colleague'} at {formatClock(s.override.at)}: “
          {s.override.reason}”
        </p>
      )}
      {mode.kind === 'view' ? (
        canEdit && (
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setValue(String(s.value));
                setMode({ kind: 'set' });
              }}
            >
              {s.override ? 'Change' : 'Override'} {s.label}…
            </button>
            {s.override && (
              <button
                type="button"
                className="secondary"
                onClick={() => setMode({ kind: 'clear' })}
              >
                Clear {s.label}…
              </button>
            )}
          </div>
        )
      ) : (
        <form className="reason-form" onSubmit={(e) => void submit(e)} noValidate>
          {mode.kind === 'set' && (
            <>
              <label htmlFor={valueId}>
                New {s.label} ({bounds(s)})
              </label>
              <input
                id={valueId}
                type="number"
                inputMode="decimal"
                min={s.min}
                max={s.max}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                // eslint-disable-next-line jsx-a11y/no-autofocus -- the field opens on the user's click: focus follows it
                autoFocus
              />
            </>
          )}
          <ReasonField
            label={
              mode.kind === 'set'
                ? 'Why this patient needs it (required, audited)'
                : 'Why the default applies again (required, audited)'
            }
            value={reason}
            onChange={setReason}
            focusOnOpen={mode.kind === 'clear'}
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || !reason.trim()}>
              {mode.kind === 'set' ? 'Save override' : 'Clear override'}
            </button>
            <button type="button" className="secondary" onClick={close}>
              Cancel
            </button>
          </div>
          <ErrorText error={error} />
        </form>
      )}
    </li>
  );
}

/**
 * The patient's protocol overrides: every bounded setting with the value in force, who set an
 * override, when and why, and forms to set (value and reason) or clear (reason) one. The
 * overrides apply to the patient, so they carry into later sessions until cleared.
 */
export function OverridesPanel({
  patientId,
  sessionId,
  changes,
  canEdit = true,
  api = overridesApi,
}: Props) {
  const client = useQueryClient();
  const key = ['overrides', patientId];
  // A refusal (404, 403) will not change on a retry, and "unavailable" must show soon.
  const query = useQuery({
    queryKey: key,
    queryFn: () => api.list(patientId),
    retry: (count, err) => count < 1 && !(err instanceof ApiError && err.status < 500),
  });
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: key }),
      // The tile's "Overrides:" line comes from the session summaries.
      client.invalidateQueries({ queryKey: ['session', sessionId] }),
      client.invalidateQueries({ queryKey: LIVE_SESSIONS_KEY }),
    ]);
  const lastChange = changes.length > 0 ? changes[changes.length - 1].seq : 0;
  useEffect(() => {
    if (lastChange > 0) void refresh();
    // Only a new protocol.overridden event is news.
  }, [lastChange]);

  const settings = query.data ?? [];
  const active = settings.filter((s) => s.override);
  return (
    <section className="panel" aria-labelledby="overrides-title" data-testid="overrides-panel">
      <h2 id="overrides-title">
        Protocol overrides{' '}
        <span className="muted">
          ({query.data ? `${active.length} in force` : query.isError ? 'unavailable' : 'loading'})
        </span>
      </h2>
      <p className="muted small">
        For this patient, within the bounds of CLINICAL.md; each change is audited with who, when
        and why.
      </p>
      <LoadError query={query} what="the overrides" />
      {query.data && (
        <details open={active.length > 0}>
          <summary>
            {active.length > 0
              ? `${active.length} setting${active.length > 1 ? 's' : ''} overridden`
              : 'All settings at the protocol default'}
          </summary>
          <ul className="override-list">
            {settings.map((s) => (
              <SettingRow
                key={s.setting}
                s={s}
                canEdit={canEdit}
                onSet={(value, reason) =>
                  api.set(patientId, s.setting, value, reason).then(refresh)
                }
                onClear={(reason) => api.clear(patientId, s.setting, reason).then(refresh)}
              />
            ))}
          </ul>
        </details>
      )}
      {changes.length > 0 && <OverrideChanges changes={changes} />}
    </section>
  );
}
