import type { AlarmLevel } from './alert-logic';

interface Pattern {
  frequency: number;
  /** Pulse start offsets in seconds within one burst. */
  pulses: number[];
  pulseSeconds: number;
  repeatMs: number;
}

/**
 * Shaped after IEC 60601-1-8 so the two are told apart by ear: high is a fast burst of
 * 3 + 2 pulses repeated often, medium three slower, lower pulses repeated less often.
 */
export const PATTERNS: Record<'high' | 'medium', Pattern> = {
  high: {
    frequency: 880,
    pulses: [0, 0.25, 0.5, 1.0, 1.25],
    pulseSeconds: 0.15,
    repeatMs: 4000,
  },
  medium: { frequency: 587, pulses: [0, 0.4, 0.8], pulseSeconds: 0.25, repeatMs: 8000 },
};

type AudioContextCtor = new () => AudioContext;

/** Web Audio alarm that repeats until the level is set back to null. */
export class AlarmSound {
  private ctx: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private level: AlarmLevel = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly Ctor: AudioContextCtor | undefined = globalThis.AudioContext) {}

  /** The browser has not let us play yet (no user gesture since load): the screen must say so. */
  isBlocked(): boolean {
    return !this.Ctor || this.context()?.state !== 'running';
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call from a user gesture: browsers only start audio after one. */
  async unlock(): Promise<void> {
    const ctx = this.context();
    if (ctx && ctx.state !== 'running') await ctx.resume().catch(() => undefined);
    this.emit();
  }

  setLevel(level: AlarmLevel): void {
    if (level === this.level) return;
    this.level = level;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!level) return;
    const pattern = PATTERNS[level];
    this.burst(pattern);
    this.timer = setInterval(() => this.burst(pattern), pattern.repeatMs);
  }

  /**
   * A new or re-opened alert while the alarm already sounds at this level: play the burst now
   * and restart the cycle, so it is heard as new rather than folded into the ongoing alarm.
   */
  retrigger(): void {
    const level = this.level;
    if (!level) return;
    this.level = null;
    this.setLevel(level);
  }

  stop(): void {
    this.setLevel(null);
  }

  private context(): AudioContext | null {
    if (!this.Ctor) return null;
    if (!this.ctx) {
      this.ctx = new this.Ctor();
      this.ctx.addEventListener?.('statechange', () => this.emit());
    }
    return this.ctx;
  }

  private burst(p: Pattern): void {
    const ctx = this.context();
    if (!ctx || ctx.state !== 'running') return;
    const start = ctx.currentTime + 0.02;
    for (const offset of p.pulses) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = p.frequency;
      const t0 = start + offset;
      // Short ramps avoid clicks, which make an alarm harder to localise.
      gain.gain.setValueAtTime(0, t0);
      gain.gain.linearRampToValueAtTime(0.2, t0 + 0.02);
      gain.gain.setValueAtTime(0.2, t0 + p.pulseSeconds - 0.02);
      gain.gain.linearRampToValueAtTime(0, t0 + p.pulseSeconds);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + p.pulseSeconds + 0.01);
    }
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
