import type { CheckInRecord } from '../../read-model/session-model';
import { formatClock } from '../../read-model/staleness';
import { TableHead } from '../../shared/components/TableHead';

const SYMPTOM_LABEL: Record<string, string> = {
  chest_pain: 'chest pain',
  shortness_of_breath: 'shortness of breath',
  severe_headache: 'severe headache',
  vision_change: 'vision change',
  seizure: 'seizure',
  diminished_consciousness: 'diminished consciousness',
  focal_weakness: 'focal weakness',
  vomiting: 'vomiting',
  other: 'other',
};

const show = (v: number | undefined, max: number) => (v === undefined ? '–' : `${v}/${max}`);

interface Props {
  checkIns: readonly CheckInRecord[];
  dosedAt: string | null;
  baselineMoaas: number | undefined;
}

/** Every check-in, newest first, with MOAA/S drops from the pre-dose value called out. */
export function CheckInTimeline({ checkIns, dosedAt, baselineMoaas }: Props) {
  const doseMs = dosedAt ? Date.parse(dosedAt) : NaN;
  const rows = [...checkIns].reverse();
  return (
    <section className="panel" aria-labelledby="checkins-title">
      <h2 id="checkins-title">
        Check-ins <span className="muted">({checkIns.length})</span>
      </h2>
      {rows.length === 0 ? (
        <p className="muted">No check-ins yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="checkins">
            <TableHead
              columns={['Time', 'MOAA/S', 'Dissociation', 'Nausea', 'Anxiety', 'Symptoms', 'Note']}
            />
            <tbody>
              {rows.map((c) => {
                // When it was made by the server's clock (arrival less its wait on the phone), as
                // the overdue alarm counts it: its takenAt is the phone's clock, and beside a dose
                // time on the server's a check-in from a phone 10 min slow read "+-5 min".
                const at = c.at;
                const sinceDose = Number.isNaN(doseMs)
                  ? ''
                  : ` (+${Math.round((Date.parse(at) - doseMs) / 60_000)} min)`;
                const sedated =
                  c.moaas !== undefined && baselineMoaas !== undefined && c.moaas < baselineMoaas;
                const symptoms = c.symptoms ?? [];
                return (
                  <tr key={c.seq}>
                    <td>
                      {formatClock(at)}
                      <span className="muted">{sinceDose}</span>
                    </td>
                    <td className={(c.moaas ?? 5) <= 3 ? 'cell-warn' : undefined}>
                      {show(c.moaas, 5)}
                      {sedated && (
                        <span>
                          {' '}
                          ▼ below pre-dose {baselineMoaas}
                          {/* v2: MOAA/S 4 is the expected drowsiness, 3 and below an alert. */}
                          {c.moaas === 4 && ' (drowsy, expected)'}
                        </span>
                      )}
                    </td>
                    <td>{show(c.dissociation, 10)}</td>
                    <td>{show(c.nausea, 10)}</td>
                    <td>{show(c.anxiety, 10)}</td>
                    <td className={symptoms.length > 0 ? 'cell-warn' : undefined}>
                      {symptoms.length === 0
                        ? 'none'
                        : symptoms.map((s) => SYMPTOM_LABEL[s] ?? s).join(', ')}
                    </td>
                    <td className="note-cell">{c.note ?? ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
