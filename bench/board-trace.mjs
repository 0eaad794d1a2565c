// bench:board's `--trace FILE`: a Chromium performance trace of the page over the measured window
// (open it in DevTools' Performance panel) and what its main thread spent the time on, printed:
// the long tasks and what fills them, and the layouts a script forced (its stack's first frame)
// apart from those the frame's rendering did on its own. The CPU profile (--profile) names the
// JavaScript; only the trace says which layouts a script asked for and what made a task long.
import { writeFileSync } from 'node:fs';

export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8.execute',
];

/** What a task's time went to, by the trace events a DevTools timeline shows. */
const KINDS = {
  Layout: 'layout',
  UpdateLayoutTree: 'style',
  PrePaint: 'paint',
  Paint: 'paint',
  Layerize: 'paint',
  Commit: 'paint',
  FunctionCall: 'script',
  EvaluateScript: 'script',
  TimerFire: 'script',
  FireAnimationFrame: 'script',
  EventDispatch: 'script',
  MajorGC: 'gc',
  MinorGC: 'gc',
  'V8.GC_SCAVENGER': 'gc',
  'V8.GC_MARK_COMPACTOR': 'gc',
};

const frameName = (f) =>
  f
    ? `${f.functionName || '(anonymous)'} ${String(f.url).split('/').pop()}:${f.lineNumber + 1}`
    : '';

/** Writes the trace and summarises the renderer main thread's work in it. */
export function summariseTrace(buffer, file) {
  writeFileSync(file, buffer);
  const { traceEvents: events } = JSON.parse(buffer.toString('utf8'));
  // The renderer's main thread: the one that ran the page's layouts.
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events.filter(
    (e) => e.ph === 'X' && main && e.pid === main.pid && e.tid === main.tid,
  );
  const tasks = onMain.filter((e) => e.name === 'RunTask').sort((a, b) => a.ts - b.ts);
  const long = tasks.filter((t) => t.dur > 50_000);
  const inLong = (e) => long.some((t) => e.ts >= t.ts && e.ts < t.ts + t.dur);
  // Top-level kinds only: a layout inside a script's call is both; count it as layout, and take
  // the script's time less what it forced (nested events are listed after their parent).
  const byKind = { all: {}, long: {} };
  const forced = new Map();
  let layouts = 0;
  let forcedCount = 0;
  let forcedMs = 0;
  for (const e of onMain) {
    const kind = KINDS[e.name];
    if (!kind) continue;
    const ms = e.dur / 1000;
    for (const bucket of inLong(e) ? [byKind.all, byKind.long] : [byKind.all])
      bucket[kind] = (bucket[kind] ?? 0) + ms;
    if (e.name !== 'Layout') continue;
    layouts += 1;
    const stack = e.args?.beginData?.stackTrace;
    if (!stack?.length) continue;
    forcedCount += 1;
    forcedMs += ms;
    const key = frameName(stack[0]);
    const f = forced.get(key) ?? { n: 0, ms: 0 };
    forced.set(key, { n: f.n + 1, ms: f.ms + ms });
  }
  const fmt = (o) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .map(([k, ms]) => `${k} ${Math.round(ms).toLocaleString('en')} ms`)
      .join(', ');
  const forcedTop = [...forced]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 6)
    .map(
      ([k, f]) =>
        `    ${String(f.n).padStart(5)} x ${Math.round(f.ms).toString().padStart(5)} ms  ${k}`,
    )
    .join('\n');
  return `  trace ${file}: ${tasks.length} tasks, ${long.length} over 50 ms (their time: ${fmt(byKind.long) || 'none'})
    all tasks' time (nested layouts inside scripts counted in both): ${fmt(byKind.all)}
    layouts ${layouts}, of them forced by a script ${forcedCount} (${Math.round(forcedMs)} ms)${forcedTop ? `, by first frame:\n${forcedTop}` : ''}
`;
}
