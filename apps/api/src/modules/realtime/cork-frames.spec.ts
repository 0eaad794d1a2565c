import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { corkFlushes, type EngineConnection } from './cork-frames';

/** Counts the write calls that reach a TCP socket (each is a write or writev system call). */
function countWrites(socket: Socket): { calls: number } {
  const conn = socket.conn as unknown as EngineConnection;
  const tcp = conn.transport.socket?._socket as unknown as {
    _write: (...args: unknown[]) => void;
    _writev: (...args: unknown[]) => void;
  };
  const counter = { calls: 0 };
  for (const name of ['_write', '_writev'] as const) {
    const original = tcp[name].bind(tcp);
    tcp[name] = (...args: unknown[]) => {
      counter.calls += 1;
      original(...args);
    };
  }
  return counter;
}

describe('corkFlushes', () => {
  let http: HttpServer;
  let server: Server;
  let client: ClientSocket | null = null;

  async function start(cork: boolean): Promise<Socket> {
    http = createServer();
    server = new Server(http, { perMessageDeflate: false });
    if (cork) server.engine.on('connection', (conn: EngineConnection) => corkFlushes(conn));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const connected = new Promise<Socket>((resolve) => server.on('connection', resolve));
    client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
    return connected;
  }

  afterEach(async () => {
    client?.close();
    client = null;
    await server.close();
  });

  /** Emits `count` events in one go, as a committed group's fan-out does; what the client got. */
  async function burst(socket: Socket, count: number): Promise<number[]> {
    const got: number[] = [];
    const all = new Promise<void>((resolve) =>
      client!.on('n', (n: number) => {
        got.push(n);
        if (got.length === count) resolve();
      }),
    );
    for (let n = 0; n < count; n++) socket.emit('n', n);
    await all;
    return got;
  }

  it('writes the frames engine.io flushes together in one call, all of them, in order', async () => {
    const socket = await start(true);
    const writes = countWrites(socket);
    expect(await burst(socket, 50)).toEqual([...Array(50).keys()]);
    // The first frame goes out at once; the 49 buffered behind it leave as one batch.
    expect(writes.calls).toBeLessThanOrEqual(3);
  });

  it('without it, each frame is its own write (what it saves)', async () => {
    const socket = await start(false);
    const writes = countWrites(socket);
    expect(await burst(socket, 50)).toEqual([...Array(50).keys()]);
    expect(writes.calls).toBeGreaterThanOrEqual(50);
  });
});
