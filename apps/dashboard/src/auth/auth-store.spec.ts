import { AuthStore, type StoredAuth } from './auth-store';

const stored = (n: number): StoredAuth => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  user: { id: 'u1', role: 'clinician', name: 'C' },
});

/** A Web Lock manager as browsers have it: one holder of a name at a time, in request order. */
function installLocks() {
  let tail: Promise<unknown> = Promise.resolve();
  const locks = {
    request<T>(_name: string, run: () => Promise<T>): Promise<T> {
      const result = tail.then(run);
      tail = result.catch(() => undefined);
      return result;
    },
  };
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
}

describe('auth store across tabs', () => {
  let fetchMock: jest.Mock;

  beforeEach(() => {
    localStorage.clear();
    localStorage.setItem('vigil.auth', JSON.stringify(stored(1)));
    installLocks();
    let n = 1;
    fetchMock = jest.fn(async () => {
      await new Promise((r) => setTimeout(r, 5));
      n += 1;
      const pair = { accessToken: `access-${n}`, refreshToken: `refresh-${n}` };
      return { status: 200, ok: true, json: () => Promise.resolve(pair) };
    });
    globalThis.fetch = fetchMock;
  });

  it('spends the refresh token once when two tabs refresh together; both end on the new tokens', async () => {
    const tabA = new AuthStore();
    const tabB = new AuthStore();
    const [a, b] = await Promise.all([tabA.refresh(), tabB.refresh()]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(a).toBe('access-2');
    expect(b).toBe('access-2');
    expect(tabB.get()?.refreshToken).toBe('refresh-2');
  });

  it('follows another tab through the storage event, including its logout', () => {
    const tab = new AuthStore();
    const seen: Array<string | null> = [];
    tab.subscribe((auth) => seen.push(auth?.accessToken ?? null));
    localStorage.setItem('vigil.auth', JSON.stringify(stored(7)));
    window.dispatchEvent(new StorageEvent('storage', { key: 'vigil.auth' }));
    localStorage.removeItem('vigil.auth');
    window.dispatchEvent(new StorageEvent('storage', { key: 'vigil.auth' }));
    expect(seen).toEqual(['access-7', null]);
    expect(tab.get()).toBeNull();
  });
});
