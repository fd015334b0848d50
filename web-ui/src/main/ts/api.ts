// Calls to the hub's JSON API. A token sign-in lives in sessionStorage (gone when the tab closes) and
// goes out as a Bearer header; a Keycloak sign-in is the server's session cookie, sent by the browser.

const TOKEN_KEY = 'quiver.token';

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code: string) {
    super(message);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const t = token();
  return t ? { ...extra, Authorization: `Bearer ${t}` } : extra;
}

async function fail(res: Response): Promise<never> {
  let message = res.headers.get('X-Error-Message') ?? `${res.status} ${res.statusText}`;
  if ((res.headers.get('Content-Type') ?? '').startsWith('application/json')) {
    try {
      const body = await res.json() as { error?: unknown };
      if (typeof body.error === 'string') {
        message = body.error;
      }
    } catch {
      // keep the header's message
    }
  }
  throw new ApiError(res.status, message, res.headers.get('X-Error-Code') ?? '');
}

export interface Session {
  signedIn: boolean;
  name?: string;
  csrfToken?: string;
  identityProvider: boolean;
  loginUrl: string;
}

let session: Promise<Session | null> | null = null;

/** The server's view of the browser session (cookie sign-in, CSRF token, whether Keycloak is set up). */
export function browserSession(refresh = false): Promise<Session | null> {
  if (refresh || !session) {
    session = fetch('/api/auth/session', { headers: authHeaders({ Accept: 'application/json' }) })
      .then(r => (r.ok ? r.json() as Promise<Session> : null)).catch(() => null);
  }
  return session;
}

export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(init.headers as Record<string, string> ?? {}) };
  const method = (init.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD' && !token()) {
    // a cookie-signed-in browser proves each change comes from this page, not another site
    const csrf = (await browserSession())?.csrfToken;
    if (csrf) {
      headers['X-CSRF-Token'] = csrf;
    }
  }
  const res = await fetch(path, { ...init, headers: authHeaders(headers) });
  if (!res.ok) {
    await fail(res);
  }
  return res;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await request(path, signal ? { signal } : {});
  return await res.json() as T;
}

export async function getPage<T>(path: string, signal?: AbortSignal): Promise<{ items: T; next: string | null }> {
  const res = await request(path, signal ? { signal } : {});
  return { items: await res.json() as T, next: nextLink(res.headers.get('Link')) };
}

export async function sendJson<T>(method: string, path: string, body: unknown): Promise<T> {
  const res = await request(path, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** The next page from a `Link: <url>; rel="next"` header, as a same-origin path. */
export function nextLink(header: string | null): string | null {
  if (!header) {
    return null;
  }
  const m = /<([^>]+)>;\s*rel="next"/.exec(header);
  if (!m || !m[1]) {
    return null;
  }
  const url = new URL(m[1], location.href);
  return url.origin === location.origin ? url.pathname + url.search : null;
}

/** The first `length` bytes of a file from `start`, via a Range request (the whole file if shorter). */
export async function fetchRange(url: string, start: number, length: number, signal?: AbortSignal):
  Promise<{ bytes: Uint8Array; total: number | null }> {
  const res = await fetch(url, {
    headers: authHeaders({ Range: `bytes=${start}-${start + length - 1}` }),
    ...(signal ? { signal } : {}),
  });
  if (!res.ok) {
    await fail(res);
  }
  const range = res.headers.get('Content-Range');
  const total = range ? Number(range.split('/')[1]) : Number(res.headers.get('Content-Length'));
  const buf = new Uint8Array(await res.arrayBuffer());
  // a server that ignores Range sends everything: keep only what was asked for
  const bytes = res.status === 200 ? buf.subarray(start, start + length) : buf;
  return { bytes, total: Number.isFinite(total) ? total : null };
}
