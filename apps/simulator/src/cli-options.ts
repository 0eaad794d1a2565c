import { parseArgs } from 'node:util';
import {
  DEFAULT_ADVERSE_RATES,
  NO_ADVERSE_EVENTS,
  parseRates,
  type AdverseRates,
} from './adverse-events';

export interface SimulatorOptions {
  url: string;
  sessions: number;
  /** Simulated minutes per real minute. */
  speed: number;
  seed: number;
  /** Vitals uploads per second per session; the oximeter always samples at 1 Hz. */
  rate: number;
  /** New sessions started per second at start-up, so a load run ramps instead of stampeding. */
  ramp: number;
  adverse: AdverseRates;
  stagger: boolean;
  repeat: boolean;
  provision: boolean;
  /** Pair a simulated oximeter and cuff per patient and stream through them (contract v1.2). */
  devices: boolean;
  durationSeconds: number | null;
  maxSessionHours: number;
  password: string;
  prefix: string;
  domain: string;
  clinician: string;
  supervisor: string;
  quiet: boolean;
}

export const USAGE = `Usage: node dist/apps/simulator/src/main.js [options]
  --url URL              API base URL (default http://localhost:3000)
  --sessions N           simulated patients, one live session each (default 12)
  --speed X              time acceleration: 10 runs 15 simulated minutes in 90 s (default 1)
  --seed N               seed for patients and adverse events (default 1)
  --rate HZ              vitals uploads per second per session, 0.01-1 (default 0.2: 5 s batches)
  --ramp N               sessions started per second (default 20)
  --adverse k=p,...      adverse event probabilities per session, 0-1; kinds:
                         hypertensive_spike, desaturation, oversedation, missed_checkin,
                         help_press, device_silent
  --no-adverse           no adverse events
  --no-stagger           start every session at the dose instead of at staggered stages
  --no-repeat            do not schedule a new session when one ends
  --no-provision         never create missing accounts through the supervisor API
  --no-devices           no paired oximeter and cuff: the phone sends every reading
  --duration S           stop after S seconds
  --max-session-hours H  abort and replace a resumed session dosed longer ago (default 6)
  --password P           password of the simulated accounts (default vigil-demo)
  --prefix / --domain    accounts are PREFIX01@DOMAIN... (default sim, vigil.demo)
  --clinician EMAIL      clinician new patients are assigned to (default clinician@vigil.demo)
  --supervisor EMAIL     schedules sessions and creates accounts (default supervisor@vigil.demo)
  --quiet                log warnings and errors only`;

function num(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max = Infinity,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(
      `--${name}: must be a number ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}`,
    );
  return value;
}

/** Without a scheme, fetch fails every request with "fetch failed" and never names the option. */
function apiUrl(raw: string): string {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new Error(`--url: must be an http(s) URL such as http://localhost:3000 (got ${raw})`);
  return raw.replace(/\/+$/, '');
}

/** The options that take a value (numbers are checked by `num`), then the on/off flags. */
const VALUE_OPTIONS = [
  'url',
  'sessions',
  'speed',
  'seed',
  'rate',
  'ramp',
  'adverse',
  'duration',
  'max-session-hours',
  'password',
  'prefix',
  'domain',
  'clinician',
  'supervisor',
] as const;
const FLAGS = [
  'no-adverse',
  'no-stagger',
  'no-repeat',
  'no-provision',
  'no-devices',
  'quiet',
] as const;

function declare<K extends string, T extends 'string' | 'boolean'>(
  names: readonly K[],
  type: T,
): Record<K, { type: T }> {
  return Object.fromEntries(names.map((name) => [name, { type }])) as Record<K, { type: T }>;
}

export function parseCliOptions(argv: string[]): SimulatorOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...declare(VALUE_OPTIONS, 'string'),
      ...declare(FLAGS, 'boolean'),
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const base = values['no-adverse'] ? NO_ADVERSE_EVENTS : DEFAULT_ADVERSE_RATES;
  return {
    url: apiUrl(values.url ?? 'http://localhost:3000'),
    sessions: Math.floor(num('sessions', values.sessions, 12, 1)),
    speed: num('speed', values.speed, 1, 0.1),
    seed: Math.floor(num('seed', values.seed, 1, 0)),
    rate: num('rate', values.rate, 0.2, 0.01, 1),
    ramp: num('ramp', values.ramp, 20, 0.1),
    adverse: parseRates(values.adverse ?? '', base),
    stagger: !values['no-stagger'],
    repeat: !values['no-repeat'],
    provision: !values['no-provision'],
    devices: !values['no-devices'],
    durationSeconds: values.duration === undefined ? null : num('duration', values.duration, 0, 1),
    maxSessionHours: num('max-session-hours', values['max-session-hours'], 6, 0.1),
    password: values.password ?? 'vigil-demo',
    prefix: values.prefix ?? 'sim',
    domain: values.domain ?? 'vigil.demo',
    clinician: values.clinician ?? 'clinician@vigil.demo',
    supervisor: values.supervisor ?? 'supervisor@vigil.demo',
    quiet: values.quiet ?? false,
  };
}

/** sim01@vigil.demo ... sim12@vigil.demo (the demo seed's accounts), then sim13 onwards. */
export function accountEmail(options: SimulatorOptions, index: number): string {
  return `${options.prefix}${String(index + 1).padStart(2, '0')}@${options.domain}`;
}
