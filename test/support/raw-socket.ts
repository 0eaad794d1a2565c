import WebSocket from 'ws';

/**
 * A bare engine.io / socket.io v4 client over `ws`, for payloads socket.io-client will not send:
 * its encoder walks a payload recursively (hasBinary) and overflows its own stack on one nested
 * 10,000 deep, but any other client can send those bytes.
 */
export async function rawLive(url: string, token: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const frames: string[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (m: Buffer) => {
    const text = m.toString();
    if (text === '2') return ws.send('3'); // engine.io ping -> pong
    frames.push(text);
    for (const w of waiters.splice(0)) w();
  });
  const next = (match: (f: string) => boolean, ms = 3000) =>
    new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), ms);
      const check = () => {
        const i = frames.findIndex(match);
        if (i < 0) return void waiters.push(check);
        clearTimeout(timer);
        resolve(frames.splice(i, 1)[0]);
      };
      check();
    });
  await new Promise((resolve) => ws.once('open', resolve));
  await next((f) => f.startsWith('0{'));
  ws.send(`40/live,${JSON.stringify({ token })}`);
  const hello = await next((f) => f.startsWith('40/live,') || f.startsWith('44/live,'));
  if (!hello?.startsWith('40/live,')) throw new Error(`not connected: ${hello}`);
  let ackId = 0;
  return {
    /** Emits `event` with a payload written as JSON text; its ack, or null if none within `ms`. */
    async emit(event: string, payloadJson: string, ms = 3000): Promise<unknown> {
      const id = ++ackId;
      ws.send(`42/live,${id}[${JSON.stringify(event)},${payloadJson}]`);
      const ack = await next((f) => f.startsWith(`43/live,${id}[`), ms);
      return ack === null ? null : (JSON.parse(ack.slice(`43/live,${id}`.length)) as unknown[])[0];
    },
    close: () => ws.close(),
  };
}
