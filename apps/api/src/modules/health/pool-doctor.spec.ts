import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import type { DatabaseProbe } from './database-probe';
import { CONNECTION_DEAD_AFTER_MS, PoolDoctor } from './pool-doctor';

/** A pg client's socket as the doctor reads it: bytes written, answers read, destroyed. */
class FakeSocket extends EventEmitter {
  bytesWritten = 0;
  destroyed = false;
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  /** The client sends a statement. */
  send(): void {
    this.bytesWritten += 100;
  }
  /** The answer comes. */
  answer(): void {
    this.emit('data', Buffer.alloc(10));
  }
}

function harness(states: Map<number, string | null> | null) {
  const pool = new EventEmitter();
  const asked: number[][] = [];
  const probe = {
    backendStates: (pids: number[]) => {
      asked.push(pids);
      return Promise.resolve(states);
    },
  } as unknown as DatabaseProbe;
  const doctor = new PoolDoctor({ driver: { master: pool } } as unknown as DataSource, probe);
  const connect = (pid: number) => {
    const socket = new FakeSocket();
    pool.emit('connect', { processID: pid, connection: { stream: socket } });
    return socket;
  };
  return { doctor, connect, asked };
}

describe('PoolDoctor', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('replaces a connection waiting for an answer its idle backend will never send, and the idle ones of the same age', async () => {
    const { doctor, connect } = harness(new Map([[1, 'idle']]));
    const waiting = connect(1);
    const idle = connect(2);
    const fresh = connect(3);
    jest.advanceTimersByTime(5000);
    waiting.send();
    await doctor.sweep(); // first seen waiting
    jest.advanceTimersByTime(1000);
    fresh.send();
    fresh.answer(); // used since: it answers, so it stays
    jest.advanceTimersByTime(CONNECTION_DEAD_AFTER_MS);
    expect(await doctor.sweep()).toBe(2);
    expect([waiting.destroyed, idle.destroyed, fresh.destroyed]).toEqual([true, true, false]);
    expect(doctor.size).toBe(1);
  });

  it('leaves a connection whose backend is working on it (a long read, a wait on a lock)', async () => {
    const { doctor, connect } = harness(new Map([[1, 'active']]));
    const waiting = connect(1);
    const idle = connect(2);
    waiting.send();
    await doctor.sweep();
    jest.advanceTimersByTime(CONNECTION_DEAD_AFTER_MS + 1);
    expect(await doctor.sweep()).toBe(0);
    expect([waiting.destroyed, idle.destroyed]).toEqual([false, false]);
  });

  it('does nothing when the database does not answer the probe either (a stall ends on the same connections)', async () => {
    const { doctor, connect } = harness(null);
    const waiting = connect(1);
    waiting.send();
    await doctor.sweep();
    jest.advanceTimersByTime(CONNECTION_DEAD_AFTER_MS + 1);
    expect(await doctor.sweep()).toBe(0);
    expect(waiting.destroyed).toBe(false);
  });

  it('asks nothing while every connection has its answer or waits for less than the bound', async () => {
    const { doctor, connect, asked } = harness(new Map());
    const a = connect(1);
    const b = connect(2);
    a.send();
    a.answer();
    b.send();
    await doctor.sweep();
    jest.advanceTimersByTime(CONNECTION_DEAD_AFTER_MS - 1);
    expect(await doctor.sweep()).toBe(0);
    expect(asked).toEqual([]);
  });

  it('calls a backend idle in a transaction dead as well, and leaves one it may not see (state null)', async () => {
    const { doctor, connect } = harness(
      new Map<number, string | null>([
        [1, 'idle in transaction'],
        [2, null],
      ]),
    );
    const inTransaction = connect(1);
    const unseen = connect(2);
    inTransaction.send();
    unseen.send();
    await doctor.sweep();
    jest.advanceTimersByTime(CONNECTION_DEAD_AFTER_MS);
    expect(await doctor.sweep()).toBe(1);
    expect([inTransaction.destroyed, unseen.destroyed]).toEqual([true, false]);
  });

  it('calls a backend gone (absent from pg_stat_activity) dead too', async () => {
    const { doctor, connect } = harness(new Map());
    const waiting = connect(7);
    waiting.send();
    await doctor.sweep();
    jest.advanceTimersByTime(CONNECTION_DEAD_AFTER_MS);
    expect(await doctor.sweep()).toBe(1);
    expect(waiting.destroyed).toBe(true);
  });
});
