import { Injectable, Logger } from '@nestjs/common';
import type { Namespace, RemoteSocket } from 'socket.io';
import type { ClientToServerEvents, SessionEvent, ServerToClientEvents } from '@vigil/contracts';
import { groupBy } from '../../common/group-by';
import type { BoardRoute } from './board-delivery';
import { bySessionThenSeq, type Owed } from './live-delivery';
import type { SocketData } from './live-handshake';

/** What instances tell each other (through the Redis adapter when there is one). */
export interface InstanceEvents {
  /** Events committed on another instance, for this one's watchers. */
  'vigil:events': (events: SessionEvent[]) => void;
  /** A board flush on another instance, for this one's board sockets. */
  'vigil:board': (routes: BoardRoute[]) => void;
  /**
   * A user lost access to these sessions (an assignment ended at `endedAt`, ISO, by the ending
   * instance's clock; absent from an instance of an earlier version).
   */
  'vigil:revoked': (userId: string, sessionIds: string[], endedAt?: string) => void;
}

export type LiveNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  InstanceEvents,
  SocketData
>;
type EventName = keyof ServerToClientEvents;
type ArgsOf<E extends EventName> = Parameters<ServerToClientEvents[E]>;
export type LocalSocket = RemoteSocket<ServerToClientEvents, SocketData>;

/**
 * The one way out to the sockets: typed by the contract's event map, for the listeners that fan
 * committed events out (watch delivery, board summaries, the relay to other instances) and for
 * access revocation. The gateway binds the `/live` namespace once it exists; before that there
 * is no socket to write to, so nothing is lost.
 */
@Injectable()
export class LiveEmitter {
  private readonly logger = new Logger('LiveEmitter');
  private nsp: LiveNamespace | null = null;
  private readonly relayHandlers: Array<(nsp: LiveNamespace) => void> = [];

  bind(nsp: LiveNamespace): void {
    this.nsp = nsp;
    for (const attach of this.relayHandlers) attach(nsp);
  }

  /** To these sockets of this instance (watch delivery addresses sockets, not rooms). */
  toSockets<E extends EventName>(socketIds: string | string[], event: E, ...args: ArgsOf<E>): void {
    this.nsp?.local.to(socketIds).emit(event, ...args);
  }

  /**
   * Live events to their watchers, in the form each socket's handshake asked for (v1.6): one
   * `session.events` for each set of batch sockets owed the same events, or one `session.event`
   * per event, each encoded once for every socket owed it. Each socket gets each session's events
   * in seq order either way.
   */
  toWatchers(owed: Owed[]): void {
    const sockets = this.nsp?.sockets;
    if (!sockets) return;
    const single: Array<{ event: SessionEvent; id: string }> = [];
    for (const { socketIds, events } of owed) {
      const batch: string[] = [];
      for (const id of socketIds) {
        if (sockets.get(id)?.data.eventFormat === 'batch') batch.push(id);
        else for (const event of events) single.push({ event, id });
      }
      if (batch.length > 0) this.toSockets(batch, 'session.events', { events });
    }
    const byEvent = groupBy(
      single,
      (s) => s.event,
      (s) => s.id,
    );
    const inOrder = [...byEvent].sort(([a], [b]) => bySessionThenSeq(a, b));
    for (const [event, ids] of inOrder) this.toSockets(ids, 'session.event', event);
  }

  /** To the sockets of this instance in these rooms (each socket once). */
  toLocalRooms<E extends EventName>(rooms: string[], event: E, ...args: ArgsOf<E>): void {
    this.nsp?.local.to(rooms).emit(event, ...args);
  }

  /** Whether a socket of this instance is in the room (the adapter knows only its own). */
  hasLocalSockets(room: string): boolean {
    return (this.nsp?.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  /** To every socket of this instance. */
  toAllLocal<E extends EventName>(event: E, ...args: ArgsOf<E>): void {
    this.nsp?.local.emit(event, ...args);
  }

  /** Ends every socket in the room, on every instance. */
  disconnectRoom(room: string): void {
    this.nsp?.in(room).disconnectSockets(true);
  }

  /**
   * Closes the connections of this instance's sockets, for the shutdown: each client sees its
   * transport close and reconnects by itself (to another instance, or this one restarted), where
   * a server-side disconnect would tell it not to. Their connections end, so the HTTP server's
   * close, which waits for upgraded connections too, can finish.
   */
  closeLocalConnections(): void {
    this.nsp?.server.engine.close();
  }

  /** Every socket of this instance. */
  async localSockets(): Promise<LocalSocket[]> {
    return this.nsp ? this.nsp.local.fetchSockets() : [];
  }

  async localSocketsIn(room: string): Promise<LocalSocket[]> {
    return this.nsp ? this.nsp.in(room).local.fetchSockets() : [];
  }

  /** A message to the other instances (only a shared adapter, Redis, has any). */
  relay<E extends keyof InstanceEvents>(name: E, ...args: Parameters<InstanceEvents[E]>): void {
    if (!this.nsp) {
      this.logger.warn(`${name} not relayed: the namespace is not up`);
      return;
    }
    this.nsp.serverSideEmit(name, ...args);
  }

  /** What to do with a message another instance relayed. */
  onRelay<E extends keyof InstanceEvents>(name: E, handler: InstanceEvents[E]): void {
    // Socket.IO's listener type is a conditional type TypeScript cannot resolve for a generic E.
    const on = (nsp: LiveNamespace) => nsp.on.bind(nsp) as (n: E, h: InstanceEvents[E]) => void;
    const attach = (nsp: LiveNamespace) => on(nsp)(name, handler);
    this.relayHandlers.push(attach);
    if (this.nsp) attach(this.nsp);
  }
}
