import { describe, expect, it, vi } from 'vitest';

import {
  RefreshRefused,
  Session,
  createAuthFetch,
  type KeyValueStorage,
  type Tokens,
} from './session';

function memoryStorage(
  initial: Record<string, string> = {},
): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

/** A refresh endpoint that hands out numbered tokens, slowly, counting its calls. */
function fakeRefresh(delayMs = 20) {
  let calls = 0;
  const refresh = vi.fn(async (refreshToken: string): Promise<Tokens> => {
    calls += 1;
    const n = calls;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (refreshToken === 'revoked') throw new RefreshRefused('refresh_token_reused');
    return { access_token: `access-${n}`, refresh_token: `refresh-${n}` };
  });
  return refresh;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('Session.refresh', () => {
  it('makes one refresh for many concurrent callers, who all get the new token', async () => {
    const refresh = fakeRefresh();
    const storage = memoryStorage();
    const session = new Session({ refresh, storage });
    session.start({ access_token: 'access-0', refresh_token: 'refresh-0' });

    const tokens = await Promise.all(Array.from({ length: 5 }, () => session.refresh('access-0')));

    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith('refresh-0');
    expect(new Set(tokens)).toEqual(new Set(['access-1']));
    expect(session.accessToken).toBe('access-1');
    expect(storage.getItem('gmao.refresh_token')).toBe('refresh-1');
  });

  it('does not refresh again for a caller whose stale token was already replaced', async () => {
    const refresh = fakeRefresh();
    const session = new Session({ refresh, storage: memoryStorage() });
    session.start({ access_token: 'access-0', refresh_token: 'refresh-0' });
    await session.refresh('access-0');
    // A slow request that was sent with access-0 comes back 401 after the refresh finished.
    await expect(session.refresh('access-0')).resolves.toBe('access-1');
    expect(refresh).toHaveBeenCalledTimes(1);
    // A second expiry, later, refreshes again with the rotated refresh token.
    await expect(session.refresh('access-1')).resolves.toBe('access-2');
    expect(refresh).toHaveBeenLastCalledWith('refresh-1');
  });

  it('after a reload, gets an access token from the stored refresh token', async () => {
    const refresh = fakeRefresh();
    const session = new Session({
      refresh,
      storage: memoryStorage({ 'gmao.refresh_token': 'refresh-0' }),
    });
    expect(session.active).toBe(true);
    expect(session.accessToken).toBeNull();
    await expect(Promise.all([session.refresh(null), session.refresh(null)])).resolves.toEqual([
      'access-1',
      'access-1',
    ]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('ends the session when the server refuses the refresh token', async () => {
    const refresh = fakeRefresh();
    const storage = memoryStorage();
    const session = new Session({ refresh, storage });
    const ended = vi.fn();
    session.onEnd(ended);
    session.start({ access_token: 'access-0', refresh_token: 'revoked' });

    const results = await Promise.allSettled([
      session.refresh('access-0'),
      session.refresh('access-0'),
    ]);

    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(ended).toHaveBeenCalledWith('expired');
    expect(session.active).toBe(false);
    expect(storage.data.size).toBe(0);
  });

  it('keeps the session when the refresh fails for a network reason', async () => {
    const session = new Session({
      refresh: () => Promise.reject(new TypeError('offline')),
      storage: memoryStorage(),
    });
    session.start({ access_token: 'access-0', refresh_token: 'refresh-0' });
    await expect(session.refresh('access-0')).rejects.toThrow('offline');
    expect(session.refreshToken).toBe('refresh-0');
  });

  it('runs the refresh under the cross-tab lock and takes a token another tab got meanwhile', async () => {
    const refresh = fakeRefresh();
    let listener: ((m: { type: 'tokens'; access_token: string }) => void) | null = null;
    const channel = {
      post: vi.fn(),
      subscribe: (l: typeof listener) => {
        listener = l;
      },
    };
    let locked = 0;
    const lock = async <T>(task: () => Promise<T>): Promise<T> => {
      locked += 1;
      // While this tab waited for the lock, the other tab refreshed and told us.
      listener?.({ type: 'tokens', access_token: 'from-other-tab' });
      return task();
    };
    const session = new Session({
      refresh,
      storage: memoryStorage(),
      lock,
      channel: channel,
    });
    session.start({ access_token: 'access-0', refresh_token: 'refresh-0' });
    await expect(session.refresh('access-0')).resolves.toBe('from-other-tab');
    expect(locked).toBe(1);
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe('createAuthFetch', () => {
  const url = 'http://gmao.test/api/v1/sites';

  /** A server whose tokens `access-0` are expired and any other is valid. */
  function server() {
    const seen: Array<{ auth: string | null; language: string | null; body: string }> = [];
    const send = vi.fn(async (request: Request) => {
      const auth = request.headers.get('Authorization');
      seen.push({
        auth,
        language: request.headers.get('Accept-Language'),
        body: await request.text(),
      });
      if (auth === 'Bearer access-0')
        return json(401, { code: 'token_expired', message: '', details: {} });
      if (auth === 'Bearer gone')
        return json(401, { code: 'session_ended', message: '', details: {} });
      return json(200, { ok: true });
    });
    return { send, seen };
  }

  it('refreshes once for concurrent expired requests, then retries each with its body', async () => {
    const refresh = fakeRefresh();
    const session = new Session({ refresh, storage: memoryStorage() });
    session.start({ access_token: 'access-0', refresh_token: 'refresh-0' });
    const { send, seen } = server();
    const authFetch = createAuthFetch(session, { fetch: send, language: () => 'en' });

    const responses = await Promise.all(
      [1, 2, 3].map((n) =>
        authFetch(
          new Request(url, {
            method: 'POST',
            body: JSON.stringify({ n }),
            headers: { 'Content-Type': 'application/json' },
          }),
        ),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(refresh).toHaveBeenCalledTimes(1);
    const retried = seen.filter((s) => s.auth === 'Bearer access-1');
    expect(retried.map((s) => JSON.parse(s.body) as unknown)).toEqual(
      expect.arrayContaining([{ n: 1 }, { n: 2 }, { n: 3 }]),
    );
    expect(seen.every((s) => s.language === 'en')).toBe(true);
  });

  it('returns the 401 when the refresh is refused, and the session ends', async () => {
    const session = new Session({ refresh: fakeRefresh(), storage: memoryStorage() });
    session.start({ access_token: 'access-0', refresh_token: 'revoked' });
    const ended = vi.fn();
    session.onEnd(ended);
    const { send } = server();
    const response = await createAuthFetch(session, { fetch: send })(new Request(url));
    expect(response.status).toBe(401);
    expect(ended).toHaveBeenCalledWith('expired');
  });

  it('ends the session on session_ended without trying to refresh', async () => {
    const refresh = fakeRefresh();
    const session = new Session({ refresh, storage: memoryStorage() });
    session.start({ access_token: 'gone', refresh_token: 'refresh-0' });
    const ended = vi.fn();
    session.onEnd(ended);
    const { send } = server();
    const response = await createAuthFetch(session, { fetch: send })(new Request(url));
    expect(response.status).toBe(401);
    expect(refresh).not.toHaveBeenCalled();
    expect(ended).toHaveBeenCalledWith('session_ended');
  });

  it('gets an access token first after a reload, and sends anonymous calls untouched', async () => {
    const refresh = fakeRefresh();
    const session = new Session({
      refresh,
      storage: memoryStorage({ 'gmao.refresh_token': 'refresh-0' }),
    });
    const { send, seen } = server();
    await createAuthFetch(session, { fetch: send })(new Request(url));
    expect(seen[0]?.auth).toBe('Bearer access-1');

    const anonymous = new Session({ refresh, storage: memoryStorage() });
    const login = await createAuthFetch(anonymous, { fetch: send })(new Request(url));
    expect(login.status).toBe(200);
    expect(seen[1]?.auth).toBeNull();
  });
});
