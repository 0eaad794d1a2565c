import { announceLatched, applyEvent, evaluateAt } from '../alert-rules';
import type { AlertRecord } from '../alert-lifecycle';
import type { AlertEngineContext, AlertEngineState, EngineEvent } from '../alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from '../protocol';
import { AlertBoard } from './alert-board';
import { iso, makeEngine, sec, T0, vitalsEvent } from './factories';

/**
 * The engine and the lifecycle together, as the API runs them: each event is applied, then the
 * conditions present are judged against the alerts held, which announces every latched report
 * (as the API's judgeNoted does). `tick` judges on the clock alone. Each
 * event takes the next seq of the session log unless it brings its own. `prepare` runs on the
 * state before every event and tick (the API notes the clinicians' resolves there).
 */
export class EngineSession {
  state: AlertEngineState;
  readonly board = new AlertBoard(P);
  /** The session log's seq: every event takes the next one, as the API appends. */
  seq = 0;

  constructor(
    context: Partial<AlertEngineContext> = {},
    private readonly prepare: (
      state: AlertEngineState,
      records: readonly AlertRecord[],
    ) => AlertEngineState = (state) => state,
  ) {
    this.state = makeEngine({ sessionState: 'monitoring', dosedAt: iso(T0), ...context });
  }

  apply(...events: EngineEvent[]): this {
    for (const e of events) {
      const logged = { ...e, seq: e.seq ?? ++this.seq };
      const r = applyEvent(this.prepare(this.state, this.board.records), logged, P);
      this.board.judge(r.conditions, Date.parse(String(e.at)));
      this.state = announceLatched(r.state);
    }
    return this;
  }

  tick(at: number): this {
    const r = evaluateAt(this.prepare(this.state, this.board.records), at, P);
    this.board.judge(r.conditions, at);
    this.state = announceLatched(r.state);
    return this;
  }

  /** Device SpO2 at 1 Hz, seconds `from` to `to`. */
  spo2(value: number, from: number, to: number): this {
    for (let s = from; s <= to; s++) this.apply(vitalsEvent(sec(s), [['spo2', value]]));
    return this;
  }
}
