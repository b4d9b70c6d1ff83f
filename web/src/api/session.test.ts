import { describe, expect, it, vi } from 'vitest';

import {
  RefreshRefused,
  Session,
  createAuthFetch,
  type KeyValueStorage,
  type TabChannel,
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

/**
 * A refresh endpoint that hands out numbered access tokens, slowly, counting its calls. Its
 * `cookie` is the browser's HttpOnly cookie: the refresh token it reads and rotates (the page
 * never sees it); a cookie `revoked` is refused.
 */
function fakeRefresh(delayMs = 20, cookie = { value: 'refresh-0' }) {
  let calls = 0;
  const used: string[] = [];
  const refresh = vi.fn(async (): Promise<Tokens> => {
    calls += 1;
    const n = calls;
    const presented = cookie.value;
    used.push(presented);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (presented === 'revoked') throw new RefreshRefused('refresh_token_reused');
    cookie.value = `refresh-${n}`;
    return { access_token: `access-${n}` };
  });
  return Object.assign(refresh, { cookie, used });
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
    session.start({ access_token: 'access-0' });

    const tokens = await Promise.all(Array.from({ length: 5 }, () => session.refresh('access-0')));

    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh.used).toEqual(['refresh-0']);
    expect(new Set(tokens)).toEqual(new Set(['access-1']));
    expect(session.accessToken).toBe('access-1');
    expect(refresh.cookie.value).toBe('refresh-1');
    // Only the marker is stored: no token of any kind.
    expect(Object.fromEntries(storage.data)).toEqual({ 'gmao.session': '1' });
  });

  it('does not refresh again for a caller whose stale token was already replaced', async () => {
    const refresh = fakeRefresh();
    const session = new Session({ refresh, storage: memoryStorage() });
    session.start({ access_token: 'access-0' });
    await session.refresh('access-0');
    // A slow request that was sent with access-0 comes back 401 after the refresh finished.
    await expect(session.refresh('access-0')).resolves.toBe('access-1');
    expect(refresh).toHaveBeenCalledTimes(1);
    // A second expiry, later, refreshes again with the rotated refresh token.
    await expect(session.refresh('access-1')).resolves.toBe('access-2');
    expect(refresh.used).toEqual(['refresh-0', 'refresh-1']);
  });

  it('after a reload, gets an access token through the cookie when the marker says so', async () => {
    const refresh = fakeRefresh();
    const session = new Session({
      refresh,
      storage: memoryStorage({ 'gmao.session': '1' }),
    });
    expect(session.active).toBe(true);
    expect(session.accessToken).toBeNull();
    await expect(Promise.all([session.refresh(null), session.refresh(null)])).resolves.toEqual([
      'access-1',
      'access-1',
    ]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('does not try a refresh without the marker, and forgets a refresh token stored by an earlier version', async () => {
    const refresh = fakeRefresh();
    const storage = memoryStorage({ 'gmao.refresh_token': 'old-refresh', 'gmao.locale': 'en' });
    const session = new Session({ refresh, storage });
    expect(storage.data.has('gmao.refresh_token')).toBe(false);
    expect(storage.getItem('gmao.locale')).toBe('en');
    expect(session.active).toBe(false);
    await expect(session.refresh(null)).rejects.toBeInstanceOf(RefreshRefused);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('ends the session when the server refuses the refresh token', async () => {
    const refresh = fakeRefresh(20, { value: 'revoked' });
    const storage = memoryStorage();
    const session = new Session({ refresh, storage });
    const ended = vi.fn();
    session.onEnd(ended);
    session.start({ access_token: 'access-0' });

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
    session.start({ access_token: 'access-0' });
    await expect(session.refresh('access-0')).rejects.toThrow('offline');
    expect(session.resumable).toBe(true);
    expect(session.active).toBe(true);
  });

  it('forgets the marker on logout, here and in the other tabs', () => {
    const storage = memoryStorage();
    const posted: unknown[] = [];
    const session = new Session({
      refresh: fakeRefresh(),
      storage,
      channel: { post: (m) => posted.push(m), subscribe: () => undefined },
    });
    const ended = vi.fn();
    session.onEnd(ended);
    session.start({ access_token: 'access-0' });
    expect(storage.getItem('gmao.session')).toBe('1');
    session.end('logout');
    expect(storage.data.size).toBe(0);
    expect(session.active).toBe(false);
    expect(ended).toHaveBeenCalledWith('logout');
    expect(posted).toEqual([
      { type: 'start', access_token: 'access-0' },
      { type: 'end', reason: 'logout' },
    ]);
  });

  it('tells the app when another tab opens a new session, but not for a refresh', () => {
    const other: { deliver?: (m: Parameters<TabChannel['post']>[0]) => void } = {};
    const session = new Session({
      refresh: fakeRefresh(),
      storage: memoryStorage({ 'gmao.session': '1' }),
      channel: { post: () => undefined, subscribe: (listener) => (other.deliver = listener) },
    });
    const started = vi.fn();
    session.onStartedElsewhere(started);
    other.deliver?.({ type: 'tokens', access_token: 'refreshed' });
    expect(session.accessToken).toBe('refreshed');
    expect(started).not.toHaveBeenCalled();
    other.deliver?.({ type: 'start', access_token: 'other-company' });
    expect(session.accessToken).toBe('other-company');
    expect(started).toHaveBeenCalledTimes(1);
    // Its own logins are the app's doing: no echo.
    session.start({ access_token: 'mine' });
    expect(started).toHaveBeenCalledTimes(1);
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
    session.start({ access_token: 'access-0' });
    await expect(session.refresh('access-0')).resolves.toBe('from-other-tab');
    expect(locked).toBe(1);
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe('createAuthFetch', () => {
  const url = 'http://gmao.test/api/v1/sites';

  /** A server whose tokens `access-0` are expired and any other is valid. */
  function server() {
    const seen: Array<{
      auth: string | null;
      language: string | null;
      mode: string | null;
      body: string;
    }> = [];
    const send = vi.fn(async (request: Request) => {
      const auth = request.headers.get('Authorization');
      seen.push({
        auth,
        language: request.headers.get('Accept-Language'),
        mode: request.headers.get('X-Gmao-Session'),
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
    session.start({ access_token: 'access-0' });
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
    // Every call asks for the refresh token in the cookie, never in the body.
    expect(seen.every((s) => s.mode === 'cookie')).toBe(true);
  });

  it('returns the 401 when the refresh is refused, and the session ends', async () => {
    const session = new Session({
      refresh: fakeRefresh(20, { value: 'revoked' }),
      storage: memoryStorage(),
    });
    session.start({ access_token: 'access-0' });
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
    session.start({ access_token: 'gone' });
    const ended = vi.fn();
    session.onEnd(ended);
    const { send } = server();
    const response = await createAuthFetch(session, { fetch: send })(new Request(url));
    expect(response.status).toBe(401);
    expect(refresh).not.toHaveBeenCalled();
    expect(ended).toHaveBeenCalledWith('session_ended');
  });

  it('gets an access token first after a reload, and sends anonymous calls without one', async () => {
    const refresh = fakeRefresh();
    const session = new Session({
      refresh,
      storage: memoryStorage({ 'gmao.session': '1' }),
    });
    const { send, seen } = server();
    await createAuthFetch(session, { fetch: send })(new Request(url));
    expect(seen[0]?.auth).toBe('Bearer access-1');

    const anonymous = new Session({ refresh, storage: memoryStorage() });
    const login = await createAuthFetch(anonymous, { fetch: send })(new Request(url));
    expect(login.status).toBe(200);
    expect(seen[1]?.auth).toBeNull();
    // A login's answer leaves its refresh token in the cookie too.
    expect(seen[1]?.mode).toBe('cookie');
  });
});
