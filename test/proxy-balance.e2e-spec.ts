/**
 * deploy/nginx.conf run by Debian's nginx in front of two stand-in upstreams that answer with
 * their names: behind the compose TLS edge every request reaches nginx from the edge's one
 * address, with the client's address in X-Forwarded-For, so balancing on nginx's peer address
 * (ip_hash) sent every client to api-1.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NGINX, startProjectNginx, type RunningNginx } from './support/nginx';

const named = (name: string) =>
  new Promise<Server>((resolve) => {
    const server = createServer((_req, res) => res.end(name));
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
const addressOf = (s: Server) => `127.0.0.1:${(s.address() as AddressInfo).port}`;

(existsSync(NGINX) ? describe : describe.skip)('deploy/nginx.conf balancing', () => {
  let upstreams: Server[];
  let proxy: RunningNginx;

  beforeAll(async () => {
    upstreams = [await named('api-1'), await named('api-2')];
    proxy = await startProjectNginx([addressOf(upstreams[0]), addressOf(upstreams[1])]);
  });
  afterAll(async () => {
    await proxy?.stop();
    for (const s of upstreams ?? []) s.close();
  });

  const via = async (client: string) =>
    (await fetch(`${proxy.url}/api/sessions`, { headers: { 'X-Forwarded-For': client } })).text();

  it('spreads clients behind one edge over both instances, each client always to the same one', async () => {
    const clients = Array.from({ length: 40 }, (_, i) => `198.51.100.${i + 1}`);
    const first = await Promise.all(clients.map(via));
    expect(new Set(first)).toEqual(new Set(['api-1', 'api-2']));
    // Socket.IO's long-polling needs every request of one client on the same instance.
    expect(await Promise.all(clients.map(via))).toEqual(first);
  });
});
