import type { ReadingKind } from '@vigil/contracts';
import { durationMs, MS_PER_MINUTE, stalenessRules, type Protocol } from '@vigil/clinical';
import { countedAt, type SessionModel } from '../../read-model/session-model';
import { formatAge, isStale, stalenessContext } from '../../read-model/staleness';
import { chartSeries, thinSeries, timeDomain, type ChartPoint } from './chart-data';
import { TrendChart, type Limit } from './TrendChart';

interface Props {
  model: SessionModel;
  dosedAt: string | null;
  protocol: Protocol;
  now: number;
}

/** The latest value with its age, and "stale" by its kind's rule: never read as live. */
function latestSummary(
  model: SessionModel,
  kind: ReadingKind,
  unit: string,
  now: number,
  dosedAt: string | null,
  protocol: Protocol,
): string {
  const v = model.latest[kind];
  if (!v) return 'no readings';
  const at = countedAt(v);
  const subject =
    kind === 'bp_systolic' || kind === 'bp_diastolic'
      ? {
          kind: 'bp' as const,
          measuredAt: at,
          sbp: model.latest.bp_systolic?.value,
          dbp: model.latest.bp_diastolic?.value,
        }
      : kind === 'spo2' || kind === 'heart_rate'
        ? { kind, measuredAt: at, source: v.source }
        : { kind, measuredAt: at };
  const stale = isStale(subject, now, stalenessContext(model, dosedAt), stalenessRules(protocol));
  const age = formatAge(Math.max(0, now - at));
  return `latest ${v.value} ${unit}, ${stale ? 'STALE, ' : ''}${age} ago`;
}

/** SBP/DBP, HR, SpO2 and resp. rate since the dose, banded by the protocol's alert limits. */
export function VitalsCharts({ model, dosedAt, protocol, now }: Props) {
  const start = Date.parse(dosedAt ?? '') || now;
  const nowMin = (now - start) / MS_PER_MINUTE;
  const series = (kinds: Partial<Record<ReadingKind, string>>): ChartPoint[] =>
    chartSeries(model.vitals, kinds, dosedAt, start);
  const bp = series({ bp_systolic: 'sbp', bp_diastolic: 'dbp' });
  // Streamed at up to 1 Hz: thinned for drawing only (chart-data thinSeries).
  const hr = thinSeries(series({ heart_rate: 'hr' }), 'hr');
  const spo2 = thinSeries(series({ spo2: 'spo2' }), 'spo2');
  const rr = series({ resp_rate: 'rr' });
  const x = timeDomain(
    [...bp, ...hr, ...spo2, ...rr].sort((a, b) => a.t - b.t),
    nowMin,
  );
  const markers = [
    ...(dosedAt ? [{ x: 0, label: 'Dose' }] : []),
    {
      x: durationMs(protocol.timings.peakBpCheck) / MS_PER_MINUTE,
      label: 'Peak BP check',
    },
  ];
  const a = protocol.alerts;
  const bpLimits: Limit[] = [
    { y: a.dbpHigh.value, label: `DBP ${a.dbpHigh.value}`, priority: 'high' },
  ];
  const baseline = model.screening;
  if (baseline?.sbp !== undefined)
    bpLimits.push({
      y: baseline.sbp + a.sbpRise.value,
      label: `SBP baseline +${a.sbpRise.value}`,
      priority: 'medium',
    });
  const common = { xDomain: x, markers };
  return (
    <div className="charts" data-testid="charts">
      <TrendChart
        {...common}
        title="Blood pressure"
        unit="mmHg"
        points={bp}
        series={[
          { key: 'sbp', name: 'SBP', colour: '#14202b', marker: 'down' },
          { key: 'dbp', name: 'DBP', colour: '#1456a0', dashed: true, marker: 'up' },
        ]}
        yDomain={[40, 220]}
        bands={[
          { from: a.sbpHigh.value, to: 300, priority: 'high', label: `SBP ≥ ${a.sbpHigh.value}` },
        ]}
        limits={bpLimits}
        summary={`${latestSummary(model, 'bp_systolic', 'systolic', now, dosedAt, protocol)}; high band SBP ≥ ${a.sbpHigh.value}, DBP ≥ ${a.dbpHigh.value}`}
      />
      <TrendChart
        {...common}
        title="Heart rate"
        unit="/min"
        points={hr}
        series={[{ key: 'hr', name: 'HR', colour: '#14202b' }]}
        yDomain={[30, 180]}
        bands={[
          { from: a.hrHigh.value, to: 250, priority: 'medium', label: `HR > ${a.hrHigh.value}` },
        ]}
        summary={`${latestSummary(model, 'heart_rate', '/min', now, dosedAt, protocol)}; medium band above ${a.hrHigh.value}`}
      />
      <TrendChart
        {...common}
        title="SpO2"
        unit="%"
        points={spo2}
        series={[{ key: 'spo2', name: 'SpO2', colour: '#14202b' }]}
        yDomain={[80, 100]}
        bands={[
          { from: 0, to: a.spo2Low.value, priority: 'high', label: `SpO2 ≤ ${a.spo2Low.value}` },
          {
            from: a.spo2Low.value,
            to: a.spo2Borderline.value,
            priority: 'medium',
            label: `SpO2 ≤ ${a.spo2Borderline.value}`,
          },
        ]}
        summary={`${latestSummary(model, 'spo2', '%', now, dosedAt, protocol)}; high band ≤ ${a.spo2Low.value}, medium ≤ ${a.spo2Borderline.value}`}
      />
      <TrendChart
        {...common}
        title="Respiratory rate"
        unit="/min"
        points={rr}
        series={[{ key: 'rr', name: 'RR', colour: '#14202b' }]}
        yDomain={[0, 40]}
        bands={[{ from: 0, to: a.rrLow.value, priority: 'high', label: `RR ≤ ${a.rrLow.value}` }]}
        summary={`${latestSummary(model, 'resp_rate', '/min', now, dosedAt, protocol)}; high band ≤ ${a.rrLow.value}`}
      />
    </div>
  );
}
