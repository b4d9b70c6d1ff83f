// The login session as the browser holds it: the access token in memory only; the refresh
// token in an HttpOnly cookie that scripts never see (the API sets it when asked with
// `X-Gmao-Session: cookie`). Since the page cannot see that cookie, a marker that is no secret
// (`gmao.session`) tells a reloaded page that there is a session to resume with a refresh.
//
// Refreshing is single-flight: however many requests find their access token expired at once,
// one `POST /auth/refresh` is made and they all wait for it (a refresh token works once; a
// second use would end the session). Tabs of the same browser coordinate through a Web Lock and
// a BroadcastChannel so that they never race each other either.

/** What a login, signup or refresh gives the page: the access token (the refresh token is in the cookie). */
export interface Tokens {
  access_token: string;
}

/** Why a session ended; the login page explains it. */
export type EndReason =
  | 'logout'
  | 'expired'
  | 'session_ended'
  | 'invalid_token'
  | 'account_disabled'
  | 'tenant_suspended'
  /** The password changed through a mailed link (address confirmed, password reset). */
  | 'password_changed';

/** The server refused the refresh token: the session is over (as opposed to a network failure). */
export class RefreshRefused extends Error {
  readonly code: string;
  constructor(code: string) {
    super(`refresh refused: ${code}`);
    this.name = 'RefreshRefused';
    this.code = code;
  }
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * What tabs tell each other: a refreshed access token of the same session (`tokens`), a new
 * session (`start`: a login, or another company, whose data the other tabs must load afresh),
 * or the end of the session.
 */
type Message =
  | { type: 'tokens'; access_token: string }
  | { type: 'start'; access_token: string }
  | { type: 'end'; reason: EndReason };

export interface TabChannel {
  post(message: Message): void;
  subscribe(listener: (message: Message) => void): void;
}

export interface SessionOptions {
  /**
   * Calls `POST /auth/refresh` (the cookie carries the refresh token); rejects with
   * [`RefreshRefused`] when the server says no.
   */
  refresh: () => Promise<Tokens>;
  storage?: KeyValueStorage | null;
  /** Runs `task` exclusively across tabs (Web Locks); by default, just runs it. */
  lock?: <T>(task: () => Promise<T>) => Promise<T>;
  channel?: TabChannel | null;
}

/** The marker of a session to resume after a reload: `'1'`, no secret. */
export const SESSION_MARKER_KEY = 'gmao.session';
/** Where earlier versions kept the refresh token itself: removed at startup. */
export const LEGACY_REFRESH_TOKEN_KEY = 'gmao.refresh_token';

/** The header that asks the API for the refresh token in an HttpOnly cookie. */
export const SESSION_MODE_HEADER = 'X-Gmao-Session';
export const SESSION_MODE_COOKIE = 'cookie';

export class Session {
  #access: string | null = null;
  #inflight: Promise<string> | null = null;
  #listeners = new Set<(reason: EndReason) => void>();
  #startListeners = new Set<() => void>();
  #memory = new Map<string, string>();
  readonly #options: SessionOptions;

  constructor(options: SessionOptions) {
    this.#options = options;
    // A refresh token an earlier version left readable by scripts: it goes.
    try {
      options.storage?.removeItem(LEGACY_REFRESH_TOKEN_KEY);
    } catch {
      // Storage refused (private browsing): nothing stored there either.
    }
    options.channel?.subscribe((message) => {
      if (message.type === 'tokens') {
        this.#access = message.access_token;
      } else if (message.type === 'start') {
        this.#access = message.access_token;
        for (const listener of this.#startListeners) listener();
      } else {
        this.#clear();
        this.#notifyEnd(message.reason);
      }
    });
  }

  get accessToken(): string | null {
    return this.#access;
  }

  /** Whether a session was opened in this browser and may be resumed with a refresh. */
  get resumable(): boolean {
    const storage = this.#options.storage;
    return (
      (storage ? storage.getItem(SESSION_MARKER_KEY) : this.#memory.get(SESSION_MARKER_KEY)) != null
    );
  }

  /** Whether there is a session to use (possibly needing a refresh first). */
  get active(): boolean {
    return this.#access !== null || this.resumable;
  }

  /**
   * Records the access token of a login, signup, switch or invitation accepted; the other tabs
   * take it and hear of it (`onStartedElsewhere`).
   */
  start(tokens: Tokens): void {
    this.#access = tokens.access_token;
    this.#mark();
    this.#options.channel?.post({ type: 'start', access_token: tokens.access_token });
  }

  /** Forgets the session here and in the other tabs, and tells the app why. */
  end(reason: EndReason): void {
    const wasActive = this.active;
    this.#clear();
    this.#options.channel?.post({ type: 'end', reason });
    if (wasActive || reason === 'logout') this.#notifyEnd(reason);
  }

  onEnd(listener: (reason: EndReason) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Another tab opened a new session (another person, another company): this one follows. */
  onStartedElsewhere(listener: () => void): () => void {
    this.#startListeners.add(listener);
    return () => this.#startListeners.delete(listener);
  }

  /**
   * A fresh access token. `stale` is the token that was refused: when the session already holds
   * another one (a concurrent refresh finished), that one is answered without a new refresh.
   * Concurrent callers share one refresh.
   */
  refresh(stale: string | null = null): Promise<string> {
    if (this.#access !== null && this.#access !== stale) {
      return Promise.resolve(this.#access);
    }
    if (this.#inflight === null) {
      const lock = this.#options.lock ?? (<T>(task: () => Promise<T>) => task());
      this.#inflight = lock(() => this.#refreshLocked(stale)).finally(() => {
        this.#inflight = null;
      });
    }
    return this.#inflight;
  }

  async #refreshLocked(stale: string | null): Promise<string> {
    // Another tab may have refreshed while this one waited for the lock.
    if (this.#access !== null && this.#access !== stale) return this.#access;
    if (!this.resumable) {
      this.end('expired');
      throw new RefreshRefused('invalid_refresh_token');
    }
    let tokens: Tokens;
    try {
      tokens = await this.#options.refresh();
    } catch (error) {
      if (error instanceof RefreshRefused) this.end('expired');
      throw error;
    }
    this.#access = tokens.access_token;
    this.#mark();
    this.#options.channel?.post({ type: 'tokens', access_token: tokens.access_token });
    return tokens.access_token;
  }

  #mark(): void {
    const storage = this.#options.storage;
    if (storage) storage.setItem(SESSION_MARKER_KEY, '1');
    else this.#memory.set(SESSION_MARKER_KEY, '1');
  }

  #clear(): void {
    this.#access = null;
    const storage = this.#options.storage;
    if (storage) storage.removeItem(SESSION_MARKER_KEY);
    else this.#memory.delete(SESSION_MARKER_KEY);
  }

  #notifyEnd(reason: EndReason): void {
    for (const listener of this.#listeners) listener(reason);
  }
}

/** 401/403 codes after which the session cannot go on: back to the login page. */
const SESSION_OVER: Record<string, EndReason> = {
  session_ended: 'session_ended',
  invalid_token: 'invalid_token',
  account_disabled: 'account_disabled',
  tenant_suspended: 'tenant_suspended',
};

/** The reason a refusal ends the session (`session_ended`…), or undefined when it does not. */
export function endReasonOf(code: string | null | undefined): EndReason | undefined {
  return code == null ? undefined : SESSION_OVER[code];
}

async function errorCode(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.clone().json();
    if (typeof body === 'object' && body !== null && 'code' in body) {
      const code = body.code;
      return typeof code === 'string' ? code : null;
    }
  } catch {
    // Not JSON: no code.
  }
  return null;
}

export interface AuthFetchOptions {
  fetch?: (request: Request) => Promise<Response>;
  /** The language of the interface, sent as `Accept-Language` so server messages match. */
  language?: () => string;
}

/**
 * A `fetch` for API calls: adds the access token, `Accept-Language` and `X-Gmao-Session:
 * cookie` (so that every call that opens a session leaves its refresh token in the HttpOnly
 * cookie, never in the body); on 401 `token_expired`, refreshes once (shared with concurrent
 * calls) and retries; ends the session when the server says it is over.
 */
export function createAuthFetch(session: Session, options: AuthFetchOptions = {}) {
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const decorate = (request: Request, token: string | null): Request => {
    if (token !== null) request.headers.set('Authorization', `Bearer ${token}`);
    request.headers.set(SESSION_MODE_HEADER, SESSION_MODE_COOKIE);
    if (options.language) request.headers.set('Accept-Language', options.language());
    return request;
  };

  return async (request: Request): Promise<Response> => {
    let token = session.accessToken;
    if (token === null && session.resumable) {
      // A reloaded page: the cookie's refresh token is all there is.
      token = await session.refresh(null).catch(() => null);
    }
    const retry = request.clone();
    const response = await send(decorate(request, token));
    if (token === null || (response.status !== 401 && response.status !== 403)) return response;
    const code = await errorCode(response);
    if (response.status === 401 && code === 'token_expired') {
      let fresh: string;
      try {
        fresh = await session.refresh(token);
      } catch {
        return response;
      }
      return send(decorate(retry, fresh));
    }
    const reason = endReasonOf(code);
    if (reason !== undefined) session.end(reason);
    return response;
  };
}
