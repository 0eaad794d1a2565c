// The baseline: a plain Socket.IO relay with Vigil's topology and payloads, and nothing else
// (no auth, no validation, no database). Acks at once, then broadcasts to the session's room.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const http = createServer();
const io = new Server(http, { perMessageDeflate: false, maxHttpBufferSize: 64 * 1024 });
const nsp = io.of('/live');
const heads = new Map();

nsp.on('connection', (socket) => {
  socket.on('session.watch', ({ sessionId }, ack) => {
    socket.join(`session:${sessionId}`);
    ack?.({ ok: true, events: [], headSeq: heads.get(sessionId) ?? 0 });
  });
  socket.on('sessions.watch', ({ sessions }, ack) => {
    for (const { sessionId } of sessions) socket.join(`session:${sessionId}`);
    ack?.({
      ok: true,
      sessions: sessions.map(({ sessionId }) => ({
        sessionId,
        ok: true,
        events: [],
        headSeq: heads.get(sessionId) ?? 0,
      })),
    });
  });
  socket.on('vitals.submit', (payload, ack) => {
    const { sessionId, clientId: _clientId, ...data } = payload;
    const seq = (heads.get(sessionId) ?? 0) + 1;
    heads.set(sessionId, seq);
    ack?.({ ok: true, seq, duplicate: false });
    nsp.to(`session:${sessionId}`).emit('session.event', {
      sessionId,
      seq,
      type: 'vitals.recorded',
      at: new Date().toISOString(),
      actorId: null,
      data,
    });
  });
});

http.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${http.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
