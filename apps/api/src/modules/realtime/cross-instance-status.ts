import { Injectable, Logger } from '@nestjs/common';

export type CrossInstanceState = 'single' | 'ok' | 'degraded';

/**
 * Whether events committed on this instance reach the others (the Redis adapter's link). While
 * degraded, watchers still converge (each instance sweeps its watched sessions' heads from the
 * database), but only within seconds, not at once: metrics (`vigil_cross_instance_degraded`) and
 * readiness's details report it to operators (it does not fail readiness: every instance shares
 * Redis), and dashboards on this instance show it.
 */
@Injectable()
export class CrossInstanceStatus {
  private readonly logger = new Logger('CrossInstance');
  private state: CrossInstanceState = 'single';
  private since = Date.now();
  private readonly listeners = new Set<(state: CrossInstanceState) => void>();

  isDegraded(): boolean {
    return this.state === 'degraded';
  }

  describe(): { state: CrossInstanceState; since: string } {
    return { state: this.state, since: new Date(this.since).toISOString() };
  }

  set(state: CrossInstanceState): void {
    if (state === this.state) return;
    this.state = state;
    this.since = Date.now();
    if (state === 'degraded')
      this.logger.warn('cross-instance delivery degraded (Redis unreachable)');
    else this.logger.log(`cross-instance delivery ${state}`);
    for (const l of this.listeners) l(state);
  }

  onChange(listener: (state: CrossInstanceState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
