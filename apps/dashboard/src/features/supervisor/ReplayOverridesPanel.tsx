import { isOverridableSetting, OVERRIDABLE_SETTINGS } from '@vigil/clinical';
import { unitLabel, type OverrideValue } from '../../read-model/overrides-in-force';
import type { ProtocolChangeRecord } from '../../read-model/session-model';
import { OverrideChanges } from '../session/OverrideChanges';

function describe({ setting, value }: OverrideValue): string {
  if (!isOverridableSetting(setting)) return `${setting} ${value}`;
  const s = OVERRIDABLE_SETTINGS[setting];
  return `${s.label} ${value} ${unitLabel(s.unit)}`;
}

/**
 * The protocol the replay's charts are drawn with at its cursor: the route's limits, the
 * patient's overrides in force then, and the changes made during the session up to then.
 */
export function ReplayOverridesPanel({
  route,
  inForce,
  changes,
}: {
  route: string;
  inForce: readonly OverrideValue[];
  changes: readonly ProtocolChangeRecord[];
}) {
  return (
    <section className="panel" aria-labelledby="replay-overrides-title">
      <h2 id="replay-overrides-title">
        Protocol overrides <span className="muted">({inForce.length} in force)</span>
      </h2>
      <p className="muted small">
        Bands use the {route} limits
        {inForce.length > 0 ? ` with ${inForce.map(describe).join(', ')}` : ''}.
      </p>
      {changes.length > 0 && <OverrideChanges changes={changes} />}
    </section>
  );
}
