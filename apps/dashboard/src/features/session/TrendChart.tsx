import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { valueDomain, valueTicks, type ChartPoint } from './chart-data';

export interface Band {
  from: number;
  to: number;
  priority: 'high' | 'medium';
  label: string;
}

export interface Limit {
  y: number;
  label: string;
  priority: 'high' | 'medium' | 'baseline';
}

export interface SeriesSpec {
  key: string;
  name: string;
  colour: string;
  dashed?: boolean;
  /**
   * The marker's shape, so two lines are told apart without colour: BP charts by convention
   * mark systolic with a down-pointing and diastolic with an up-pointing triangle.
   */
  marker?: 'down' | 'up' | 'circle';
}

/** Markers on every point only while they stay apart; a dense stream is drawn as a line. */
const MAX_MARKED_POINTS = 60;

const MARKER_GLYPH = { down: '▼', up: '▲', circle: '●' } as const;

interface DotProps {
  cx?: number;
  cy?: number;
  index?: number;
}

function markerDot(shape: NonNullable<SeriesSpec['marker']>, colour: string) {
  function Marker({ cx, cy, index }: DotProps) {
    if (cx === undefined || cy === undefined || !Number.isFinite(cx) || !Number.isFinite(cy))
      return <g key={index} />;
    if (shape === 'circle') return <circle key={index} cx={cx} cy={cy} r={2.5} fill={colour} />;
    const r = 4;
    // The tip points at the reading, as on a paper BP chart.
    const d =
      shape === 'down'
        ? `M${cx - r},${cy - r} L${cx + r},${cy - r} L${cx},${cy} Z`
        : `M${cx - r},${cy + r} L${cx + r},${cy + r} L${cx},${cy} Z`;
    return <path key={index} d={d} fill={colour} />;
  }
  return Marker;
}

interface Props {
  title: string;
  unit: string;
  points: ChartPoint[];
  series: SeriesSpec[];
  /** The value range always shown; the axis widens to take in every value (valueDomain). */
  yDomain: [number, number];
  xDomain: [number, number];
  bands?: Band[];
  limits?: Limit[];
  markers: { x: number; label: string }[];
  summary: string;
}

/** Ticks every 15 minutes: the check-in cadence, so the grid lines mean something. */
function quarterHours([from, to]: [number, number]): number[] {
  const ticks: number[] = [];
  for (let t = Math.ceil(from / 15) * 15; t <= to; t += 15) ticks.push(t);
  return ticks;
}

const BAND_FILL = { high: '#b3120f', medium: '#b07800' };
const LIMIT_STROKE = { high: '#b3120f', medium: '#8a5d00', baseline: '#4a5a68' };

/** One vital against minutes since the dose, with the protocol's alert bands drawn behind. */
export function TrendChart(props: Props) {
  const { title, unit, points, series, xDomain, bands = [], limits = [] } = props;
  const yDomain = valueDomain(
    points,
    series.map((s) => s.key),
    props.yDomain,
  );
  return (
    <figure className="trend" aria-label={`${title} (${unit}): ${props.summary}`}>
      <figcaption>
        <strong>{title}</strong> <span className="muted">{unit}</span>
        {series.length > 1 && (
          <span className="trend-legend" data-testid="trend-legend">
            {series.map((s) => (
              <span key={s.key} style={{ color: s.colour }}>
                {' '}
                <span aria-hidden="true">{MARKER_GLYPH[s.marker ?? 'circle']}</span> {s.name}
                {s.dashed ? ' (dashed)' : ' (solid)'}
              </span>
            ))}
          </span>
        )}
        <span className="trend-summary">{props.summary}</span>
      </figcaption>
      <div className="trend-plot" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart
            accessibilityLayer={false}
            data={points}
            margin={{ top: 8, right: 12, bottom: 0, left: -12 }}
          >
            <CartesianGrid stroke="#e3e8ed" />
            {bands.map((b) => (
              <ReferenceArea
                key={b.label}
                y1={b.from}
                y2={b.to}
                fill={BAND_FILL[b.priority]}
                fillOpacity={b.priority === 'high' ? 0.14 : 0.12}
                ifOverflow="hidden"
              />
            ))}
            {limits.map((l) => (
              <ReferenceLine
                key={l.label}
                y={l.y}
                stroke={LIMIT_STROKE[l.priority]}
                strokeDasharray="4 3"
                label={{
                  value: l.label,
                  position: 'insideTopRight',
                  fontSize: 11,
                  fill: '#14202b',
                }}
              />
            ))}
            {props.markers.map((m) => (
              <ReferenceLine
                key={m.label}
                x={m.x}
                stroke="#1456a0"
                label={{ value: m.label, position: 'insideTopLeft', fontSize: 11, fill: '#1456a0' }}
              />
            ))}
            <XAxis
              dataKey="t"
              type="number"
              domain={xDomain}
              ticks={quarterHours(xDomain)}
              tick={{ fontSize: 11, fill: '#4a5a68' }}
              unit=" min"
            />
            {/* The domain holds every value; allowDataOverflow keeps it as given (no rounding). */}
            <YAxis
              domain={yDomain}
              ticks={valueTicks(yDomain)}
              tick={{ fontSize: 11, fill: '#4a5a68' }}
              allowDataOverflow
            />
            <Tooltip
              labelFormatter={(t) => `${Number(t).toFixed(1)} min since dose`}
              isAnimationActive={false}
            />
            {series.map((s) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stroke={s.colour}
                strokeWidth={2}
                strokeDasharray={s.dashed ? '5 3' : undefined}
                dot={
                  points.length <= MAX_MARKED_POINTS
                    ? markerDot(s.marker ?? 'circle', s.colour)
                    : false
                }
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
