import type { ReadingKind } from '@vigil/contracts';
import { evaluateAt } from '../alert-rules';
import type { AlertEngineState, EngineEvent } from '../alert-types';
import { DEFAULT_ORAL_PROTOCOL } from '../protocol';
import { feed, labels, makeEngine, sec, vitalsEvent } from './factories';

/** Device readings of one kind at 1 Hz, from `from` to `to` seconds inclusive. */
export function stream(kind: ReadingKind, value: number, from: number, to: number): EngineEvent[] {
  const out: EngineEvent[] = [];
  for (let s = from; s <= to; s++) out.push(vitalsEvent(sec(s), [[kind, value]]));
  return out;
}

export const spo2 = (value: number, from: number, to = from) => stream('spo2', value, from, to);

/** The vital conditions shown at `now` (device_offline left out). */
export const vital = (state: AlertEngineState, now: number) =>
  labels(evaluateAt(state, now, DEFAULT_ORAL_PROTOCOL).conditions).filter(
    (l) => !l.startsWith('device_offline'),
  );

/** A fresh engine fed the events in order. */
export const run = (events: EngineEvent[]) => feed(makeEngine(), events);
