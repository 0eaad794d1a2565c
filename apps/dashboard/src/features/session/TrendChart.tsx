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
import type { ChartPoint } from './chart-data';

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
}

interface Props {
  title: string;
  unit: string;
  points: ChartPoint[];
  series: SeriesSpec[];
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
  const { title, unit, points, series, yDomain, xDomain, bands = [], limits = [] } = props;
  return (
    <figure className="trend" aria-label={`${title} (${unit}): ${props.summary}`}>
      <figcaption>
        <strong>{title}</strong> <span className="muted">{unit}</span>
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
            <YAxis domain={yDomain} tick={{ fontSize: 11, fill: '#4a5a68' }} allowDataOverflow />
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
                dot={{ r: 2.5, strokeDasharray: '', fill: s.colour }}
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
