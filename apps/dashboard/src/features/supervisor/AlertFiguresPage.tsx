import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ResponseFigure } from '@vigil/contracts';
import { formatDateTime, localToIso, supervisorApi, type Filters } from './supervisor-api';

const secs = (s: number | null) =>
  s === null ? '–' : s < 120 ? `${s} s` : `${(s / 60).toFixed(1)} min`;

function FigureCells({ f }: { f: ResponseFigure }) {
  return (
    <>
      <td>{f.alerts}</td>
      <td>{f.acknowledged}</td>
      <td>{secs(f.ackP50Seconds)}</td>
      <td>{secs(f.ackP90Seconds)}</td>
      <td>{f.escalatedAlerts}</td>
      <td>{f.escalations}</td>
    </>
  );
}

const HEAD = [
  'Alerts',
  'Acknowledged',
  'Ack p50',
  'Ack p90',
  'Escalated alerts',
  'Escalation steps',
];

/** How fast alerts were acknowledged, by whom and at what priority, and how often each condition fired. */
export function AlertFiguresPage() {
  const [range, setRange] = useState({ from: '', to: '' });
  const [filters, setFilters] = useState<Filters>({});
  const figures = useQuery({
    queryKey: ['supervisor', 'figures', filters],
    queryFn: () => supervisorApi.figures(filters),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ from: localToIso(range.from), to: localToIso(range.to) });
  };
  const f = figures.data;
  return (
    <section aria-labelledby="figures-title">
      <h1 id="figures-title">Alert response</h1>
      <form className="sv-filters no-print" onSubmit={submit} aria-label="Date range">
        <label>
          From
          <input
            type="datetime-local"
            value={range.from}
            onChange={(e) => setRange({ ...range, from: e.target.value })}
          />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            value={range.to}
            onChange={(e) => setRange({ ...range, to: e.target.value })}
          />
        </label>
        <button type="submit" className="primary">
          Show
        </button>
      </form>
      {figures.isError && (
        <p role="alert" className="banner banner-error">
          Could not load the figures: {figures.error.message}
        </p>
      )}
      {f && (
        <>
          <p className="muted">
            Sessions dosed {formatDateTime(f.from)} to {formatDateTime(f.to)}: {f.sessions}{' '}
            sessions, {f.sessionHours} monitored hours, {f.totals.alerts} alerts, median time to
            acknowledge {secs(f.totals.ackP50Seconds)}.
          </p>
          <h2>Time to acknowledge by clinician</h2>
          <div className="sv-chart" aria-hidden="true">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart
                accessibilityLayer={false}
                data={f.byClinician}
                margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="clinicianName" />
                <YAxis unit=" s" />
                <Tooltip />
                <Legend />
                <Bar
                  dataKey="ackP50Seconds"
                  name="p50 (s)"
                  fill="#1456a0"
                  isAnimationActive={false}
                />
                <Bar
                  dataKey="ackP90Seconds"
                  name="p90 (s)"
                  fill="#7a5200"
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <table className="sv-table">
            <thead>
              <tr>
                <th scope="col">Clinician</th>
                {HEAD.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {f.byClinician.map((c) => (
                <tr key={c.clinicianId}>
                  <th scope="row">{c.clinicianName}</th>
                  <FigureCells f={c} />
                </tr>
              ))}
            </tbody>
          </table>
          <h2>By priority</h2>
          <table className="sv-table">
            <thead>
              <tr>
                <th scope="col">Priority</th>
                {HEAD.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {f.byPriority.map((p) => (
                <tr key={p.priority}>
                  <th scope="row" className={`sv-priority-${p.priority}`}>
                    {p.priority}
                  </th>
                  <FigureCells f={p} />
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Alerts per session-hour by condition</h2>
          <table className="sv-table">
            <thead>
              <tr>
                <th scope="col">Condition</th>
                <th scope="col">Alerts</th>
                <th scope="col">Per session-hour</th>
              </tr>
            </thead>
            <tbody>
              {f.byCondition.map((c) => (
                <tr key={c.condition}>
                  <th scope="row">{c.condition}</th>
                  <td>{c.alerts}</td>
                  <td>{c.perSessionHour ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {figures.isPending && <p>Loading figures…</p>}
    </section>
  );
}
