import {
  applyEvent,
  createAlertEngineState,
  DEFAULT_ORAL_PROTOCOL,
  evaluateAt,
  recordHeartbeat,
  type AlertEngineState,
  type Condition,
  type EngineEvent,
  type Protocol,
} from '@vigil/clinical';
import { AlertBoard } from '@vigil/clinical/testing/alert-board';
import type { Reading } from '@vigil/contracts';
import { activeEvent } from './adverse-events';
import { checkInAt, measureVitals, type SessionPhysiology } from './physiology.model';
import { nextCheckInMinute, nextCuffMinute } from './session-plan';
import { screeningBody } from './session-steps';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** The phone's presence heartbeat, as the simulator and the patient app send it. */
const HEARTBEAT_S = 15;
/** The API's watchdog evaluates time-driven conditions every 2 s. */
const TICK_S = 2;
/** The simulator sends its 1 Hz oximeter readings two at a time. */
const BATCH = 2;

/**
 * One simulated session judged by the pure engine and alert lifecycle, second by second on a
 * manual clock, the way the API judges it: the simulator's own physiology and device behaviour
 * (1 Hz SpO2/HR from the oximeter, the BP cuff schedule, a check-in every 15 min, a heartbeat
 * every 15 s, the injected adverse events), each event applied at its time, then a watchdog tick
 * every 2 s. Returns the alert board: every alert, and every change made to it.
 */
export function judgeSimulatedSession(
  physiology: SessionPhysiology,
  minutes: number,
  protocol: Protocol = DEFAULT_ORAL_PROTOCOL,
  t0 = Date.parse('2026-12-01T09:00:00Z'),
): AlertBoard {
  const board = new AlertBoard(protocol);
  let state: AlertEngineState = createAlertEngineState({ baseline: null });
  const at = (m: number) => t0 + Math.round(m * MINUTE);
  let judgedAt = -Infinity;
  const apply = (event: EngineEvent, now: number) => {
    const result = applyEvent(state, event, protocol);
    state = result.state;
    board.judge(result.conditions, now);
    judgedAt = now;
  };
  const judgeAt = (now: number) => {
    const result = evaluateAt(state, now, protocol);
    state = result.state;
    board.judge(result.conditions, now);
  };

  const screening = screeningBody(physiology);
  apply({ type: 'screening.submitted', at: at(-5), data: screening }, at(-5));
  apply(
    {
      type: 'session.state_changed',
      at: at(0),
      data: { to: 'dosed', dosedAt: new Date(at(0)).toISOString() },
    },
    at(0),
  );
  apply({ type: 'session.state_changed', at: at(0), data: { to: 'monitoring' } }, at(0));

  let batch: Reading[] = [];
  let nextCheckIn = 0;
  let nextCuff = 0;
  let helped = false;
  for (let s = 0; s <= minutes * 60; s += 1) {
    const m = s / 60;
    const now = at(m);
    const silent = activeEvent(physiology.events, 'device_silent', m) !== undefined;
    if (!silent) {
      if (s % HEARTBEAT_S === 0) state = recordHeartbeat(state, now);
      const v = measureVitals(physiology, m);
      const measuredAt = new Date(now).toISOString();
      batch.push({ kind: 'spo2', value: v.spo2, measuredAt, source: 'device' });
      batch.push({ kind: 'heart_rate', value: v.hr, measuredAt, source: 'device' });
      if (batch.length >= 2 * BATCH) {
        apply({ type: 'vitals.recorded', at: now, data: { readings: batch } }, now);
        batch = [];
      }
      if (m >= nextCuff) {
        const readings: Reading[] = [
          { kind: 'bp_systolic', value: v.sbp, measuredAt, source: 'device' },
          { kind: 'bp_diastolic', value: v.dbp, measuredAt, source: 'device' },
        ];
        apply({ type: 'vitals.recorded', at: now, data: { readings } }, now);
        nextCuff = nextCuffMinute(
          m,
          { sbp: v.sbp, dbp: v.dbp },
          { sbp: physiology.profile.baselineSbp, dbp: physiology.profile.baselineDbp },
        );
      }
      if (m >= nextCheckIn) {
        if (!activeEvent(physiology.events, 'missed_checkin', m)) {
          apply({ type: 'checkin.recorded', at: now, data: checkInAt(physiology, m) }, now);
        }
        nextCheckIn = nextCheckInMinute(m);
      }
    } else {
      batch = [];
    }
    const help = physiology.events.find((e) => e.kind === 'help_press');
    if (help && !helped && m >= help.startMin) {
      helped = true;
      apply({ type: 'help.requested', at: now, data: {} }, now);
    }
    // The watchdog's tick: time-driven conditions and escalations (a session just judged by an
    // event at this instant has nothing more to find).
    if (s % TICK_S === 0 && judgedAt !== now) judgeAt(now);
  }
  return board;
}

/** Alerts that reached medium or high priority: the ones that sound and escalate. */
export function soundingAlerts(board: AlertBoard): Array<{ condition: string; priority: string }> {
  return board.records.filter((a) => a.priority === 'medium' || a.priority === 'high');
}

/** Whether the board holds an alert for `condition` that reached `priority` (or higher). */
export function raised(
  board: AlertBoard,
  condition: Condition['condition'],
  priority: string,
): boolean {
  const rank: Record<string, number> = { info: 0, low: 1, medium: 2, high: 3 };
  return board.records.some((a) => a.condition === condition && rank[a.priority] >= rank[priority]);
}
