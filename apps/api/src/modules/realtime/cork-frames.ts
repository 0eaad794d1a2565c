import type { Duplex } from 'node:stream';

/** What of engine.io's transports this needs: the WebSocket one holds a `ws` socket. */
export interface EngineTransport {
  name: string;
  send(packets: unknown[]): void;
  /** `ws`'s WebSocket; `_socket` is its TCP socket (private, but what ws's maintainers point to). */
  socket?: { _socket?: Pick<Duplex, 'cork' | 'uncork'> };
}

/** An engine.io connection: its transport now, and `upgrade` when it moves to another. */
export interface EngineConnection {
  transport: EngineTransport;
  on(event: 'upgrade', listener: (transport: EngineTransport) => void): unknown;
}

/**
 * Writes every frame engine.io flushes at once in one system call instead of one each (issue 15).
 * While a socket's previous write is in progress, engine.io buffers the packets for it and then
 * hands the WebSocket transport the lot; `ws` writes each frame through its own cork/uncork, so
 * each is a `writev` (and, on loopback, the receiver's TCP work too): 44 % of the API's CPU at
 * 500 patients x 20 dashboards was that syscall. Corking the TCP socket around the batch makes
 * it one write; the frames, their order and the moment they leave are unchanged (uncork runs
 * before `send` returns). Hand-written: neither engine.io nor ws has an option for it (ws's
 * maintainers decline one and point to `websocket._socket.cork()`, websockets/ws#1999).
 */
export function corkFlushes(conn: EngineConnection): void {
  corkTransport(conn.transport);
  conn.on('upgrade', corkTransport);
}

function corkTransport(transport: EngineTransport): void {
  if (transport.name !== 'websocket') return; // polling already sends a batch as one response
  const send = transport.send.bind(transport);
  transport.send = (packets) => {
    const tcp = transport.socket?._socket;
    if (!tcp || packets.length < 2) return send(packets);
    tcp.cork();
    try {
      send(packets);
    } finally {
      tcp.uncork();
    }
  };
}
