import type { INestApplicationContext, WsMessageHandler } from '@nestjs/common';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { from } from 'rxjs';
import { Server, type Socket } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import type { AppConfig } from '../../config/config.schema';
import { VigilIoAdapter } from './vigil-io.adapter';

/**
 * The adapter's message dispatch (one listener per message name, shared by every socket): each
 * socket's message reaches the handlers Nest bound to that socket, and what a handler returns
 * goes out as Nest's IoAdapter sends it.
 */
describe('VigilIoAdapter.bindMessageHandlers', () => {
  let http: HttpServer;
  let server: Server;
  const clients: ClientSocket[] = [];
  const calls: Array<{ socket: string; message: string; data: unknown }> = [];

  beforeAll(async () => {
    const app = { get: () => null } as unknown as INestApplicationContext;
    const adapter = new VigilIoAdapter(app, {} as AppConfig);
    http = createServer();
    server = new Server(http, { perMessageDeflate: false });
    // As Nest's WebSocketsController does for each socket: the gateway's handlers, bound to it.
    server.on('connection', (socket: Socket) => {
      const name = (socket.handshake.auth as { name: string }).name;
      // What a handler returns: a reply event, nothing (it acked itself), or the ack's answer.
      const answerOf = (message: string, data: unknown): unknown => {
        if (message === 'event') return { event: 'answer', data: `${name}: ${String(data)}` };
        return message === 'manual' ? undefined : { from: name, data };
      };
      const handler =
        (message: string) =>
        (data: unknown, ack?: (value: unknown) => void): Promise<unknown> => {
          calls.push({ socket: name, message, data });
          if (message === 'manual') ack?.({ manual: name });
          return Promise.resolve(answerOf(message, data));
        };
      const handlers: WsMessageHandler[] = [
        { message: 'echo', callback: handler('echo'), isAckHandledManually: false },
        { message: 'manual', callback: handler('manual'), isAckHandledManually: true },
        { message: 'event', callback: handler('event'), isAckHandledManually: false },
      ];
      adapter.bindMessageHandlers(socket, handlers, (result) => from(Promise.resolve(result)));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    for (const name of ['ada', 'bo']) {
      const client = connect(`http://127.0.0.1:${port}`, {
        transports: ['websocket'],
        auth: { name },
      });
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      clients.push(client);
    }
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server.close();
  });

  it("runs each socket's own handler and answers through its ack", async () => {
    const [ada, bo] = clients;
    const answers = await Promise.all([
      ada.timeout(2000).emitWithAck('echo', 1),
      bo.timeout(2000).emitWithAck('echo', 2),
      ada.timeout(2000).emitWithAck('echo', 3),
    ]);
    expect(answers).toEqual([
      { from: 'ada', data: 1 },
      { from: 'bo', data: 2 },
      { from: 'ada', data: 3 },
    ]);
  });

  it('leaves the ack to a handler that answers it itself, and emits an { event, data } reply', async () => {
    const [ada, bo] = clients;
    expect(await bo.timeout(2000).emitWithAck('manual', {})).toEqual({ manual: 'bo' });
    const answer = new Promise((resolve) => ada.once('answer', resolve));
    ada.emit('event', 'x');
    expect(await answer).toBe('ada: x');
  });

  it('ignores a message no handler is bound to', async () => {
    const [ada] = clients;
    const before = calls.length;
    ada.emit('unknown', 1);
    expect(await ada.timeout(2000).emitWithAck('echo', 'after')).toEqual({
      from: 'ada',
      data: 'after',
    });
    expect(calls.slice(before).map((c) => c.message)).toEqual(['echo']);
  });
});
