/** The first wait, and the longest, before connecting again after a refused handshake. */
const FIRST_MS = 1000;
const MAX_MS = 30_000;

/**
 * Socket.io does not try again by itself after the server refused a handshake (`connect_error`
 * while the socket is no longer active), so the connection does: 1 s, then 2, 4, ... at most
 * 30 s apart, each +/- 50 % so a restarted server is not met by every screen at once. Written
 * here because socket.io keeps its own backoff private and the promise-based backoff libraries
 * retry a function, not "connect this socket again later unless it connected meanwhile".
 */
export class RetryAfterRefusal {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private delayMs = FIRST_MS;

  constructor(private readonly connectAgain: () => void) {}

  /** Connect again after the next wait; a no-op while one is already pending. */
  schedule(): void {
    if (this.timer) return;
    const delay = this.delayMs * (0.5 + Math.random());
    this.delayMs = Math.min(this.delayMs * 2, MAX_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connectAgain();
    }, delay);
  }

  /** Connected: the next refusal waits the first delay again. */
  reset(): void {
    this.delayMs = FIRST_MS;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
