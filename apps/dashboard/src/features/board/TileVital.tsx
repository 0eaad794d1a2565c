import { formatAge } from '../../read-model/staleness';
import { useTileClock } from './tile-clock';
import type { VitalView } from './tile-view';

/**
 * "58s", "12m", "2h": the compact tile's age, short enough to sit under a three-digit value so
 * five cells fit a tile; screen readers, the tooltip and the session view get it in full.
 */
function shortAge(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m` : `${Math.floor(m / 60)}h`;
}

function Age({ v, compact }: { v: VitalView; compact: boolean }) {
  const ageMs = Math.max(0, useTileClock() - (v.measuredAt ?? 0));
  const age = formatAge(ageMs);
  return (
    <span className="vital-age" title={`${v.stale ? 'stale: ' : ''}measured ${age} ago`}>
      {v.stale && (
        <span className="stale-tag">
          <span aria-hidden="true">◷</span> stale{' '}
        </span>
      )}
      {compact ? (
        <>
          <span aria-hidden="true">{shortAge(ageMs)}</span>
          <span className="visually-hidden">{age} ago</span>
        </>
      ) : (
        <>
          {age}
          <span className="age-ago"> ago</span>
        </>
      )}
    </span>
  );
}

/** One value cell of a tile: label, value and how old it is (the unit for screen readers). */
export function Vital({
  v,
  loading = false,
  compact = false,
}: {
  v: VitalView;
  loading?: boolean;
  compact?: boolean;
}) {
  return (
    <div className={`vital${v.stale ? ' vital-stale' : ''}`} data-testid={`vital-${v.key}`}>
      <dt>{v.label}</dt>
      <dd>
        {loading && v.value === null ? (
          // Not known yet, which is not the same as "no reading": say which it is.
          <span className="muted">loading…</span>
        ) : v.value === null ? (
          compact ? (
            // A dash, as monitors show a missing value; three cells of "no reading" would not fit.
            <span className="muted vital-none" title="no reading">
              <span aria-hidden="true">–</span>
              <span className="visually-hidden">no reading</span>
            </span>
          ) : (
            <span className="muted">no reading</span>
          )
        ) : (
          <>
            {/* The space is inside the unit, so a compact cell that hides the unit is not widened. */}
            <span className="vital-value">{v.value}</span>
            <span className="unit"> {v.unit}</span>
            <Age v={v} compact={compact} />
          </>
        )}
      </dd>
    </div>
  );
}
