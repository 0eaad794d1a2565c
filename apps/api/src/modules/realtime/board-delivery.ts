import type { BoardSummary } from '@vigil/contracts';

/** One session's summary from one flush, and the board rooms allowed to see it. */
export interface BoardRoute {
  rooms: string[];
  summary: BoardSummary;
}

/** What one instance writes for a flush: each packet goes to the local sockets of its rooms. */
export interface BoardPackets {
  /** v1 `board.updated`: one packet per summary, to the rooms of sockets that did not opt in. */
  updated: Array<{ rooms: string[]; summary: BoardSummary }>;
  /** v1.3 `board.batch`: one packet per group of batch rooms that see exactly the same summaries. */
  batches: Array<{ rooms: string[]; summaries: BoardSummary[] }>;
}

/**
 * The room a socket joins instead of a board room when its handshake asked for batches: the same
 * audience (so the same access), told apart only by the form of what it is sent.
 */
export const boardBatchRoom = (room: string): string => `batch:${room}`;

/**
 * Turns a flush's routes into this instance's packets. Rooms without a local socket are left out
 * (Socket.IO encodes a packet even for an empty room, and every instance runs this for its own
 * sockets). Batch rooms that would get the same list, such as clinicians sharing one panel, share
 * one packet: Socket.IO encodes a packet once for all the rooms it is sent to.
 */
export function boardPackets(
  routes: BoardRoute[],
  occupied: (room: string) => boolean,
): BoardPackets {
  const updated: BoardPackets['updated'] = [];
  const perRoom = new Map<string, BoardSummary[]>();
  // A flush routes each summary to the same few rooms (the supervisors' and each assigned
  // clinician's), mostly the same list of them: ask the adapter about each room once per flush,
  // and work out each list's local rooms once (one key per route instead of two lookups per
  // room: at 2,000 sessions and 20 clinicians, 84,000 lookups a second were 3 % of the API's CPU).
  const local = new Map<string, { legacy: boolean; batch: string | null }>();
  const sockets = (room: string) => {
    let found = local.get(room);
    if (!found) {
      const batchRoom = boardBatchRoom(room);
      found = { legacy: occupied(room), batch: occupied(batchRoom) ? batchRoom : null };
      local.set(room, found);
    }
    return found;
  };
  const byRooms = new Map<string, { legacy: string[]; batch: string[] }>();
  const localRooms = (rooms: string[]) => {
    const key = rooms.join(' ');
    let found = byRooms.get(key);
    if (!found) {
      found = { legacy: [], batch: [] };
      for (const room of rooms) {
        const { legacy, batch } = sockets(room);
        if (legacy) found.legacy.push(room);
        if (batch !== null) found.batch.push(batch);
      }
      byRooms.set(key, found);
    }
    return found;
  };
  for (const { rooms, summary } of routes) {
    const { legacy, batch } = localRooms(rooms);
    if (legacy.length > 0) updated.push({ rooms: legacy, summary });
    for (const batchRoom of batch) {
      const list = perRoom.get(batchRoom);
      if (list) list.push(summary);
      else perRoom.set(batchRoom, [summary]);
    }
  }
  // Every list is in route order, so two rooms that see the same sessions have the same key.
  const groups = new Map<string, { rooms: string[]; summaries: BoardSummary[] }>();
  for (const [room, summaries] of perRoom) {
    const key = summaries.map((s) => s.sessionId).join(',');
    const group = groups.get(key);
    if (group) group.rooms.push(room);
    else groups.set(key, { rooms: [room], summaries });
  }
  return { updated, batches: [...groups.values()] };
}
