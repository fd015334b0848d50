// Signing in and tokens. Keycloak (or the hub's password form) is the server's /login; a token
// sign-in is checked with whoami and kept in this tab's sessionStorage, sent as a Bearer header.

import { ApiError, browserSession, getJson, request, sendJson, setToken, token } from './api';
import { clear, h } from './dom';
import { ago, date } from './format';
import { navigate, signedInChanged, whoami, type Page } from './main';
import type { Whoami } from './types';

export async function renderSignIn(p: Page): Promise<void> {
  p.title('Sign in');
  const s = await browserSession();
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false', placeholder: 'hf_…', 'aria-describedby': 'token-help' });
  const status = h('p', { role: 'alert', class: 'form-status' });
  const next = new URLSearchParams(location.search).get('next') ?? '/';
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const value = input.value.trim();
    try {
      const res = await fetch('/api/whoami-v2', { headers: { Authorization: `Bearer ${value}`, Accept: 'application/json' } });
      if (!res.ok) {
        status.textContent = 'That token was not accepted.';
        return;
      }
      setToken(value);
      signedInChanged();
      navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/');
    } catch {
      status.textContent = 'The hub could not be reached.';
    }
  };
  clear(p.main, h('div', { class: 'narrow' },
    h('h1', null, 'Sign in'),
    s?.identityProvider
      ? h('p', null, h('a', { href: `${s.loginUrl}?next=${encodeURIComponent(next)}`, class: 'button primary',
        'data-native': '' }, 'Sign in with your organization account'))
      : h('p', null, h('a', { href: `/login?next=${encodeURIComponent(next)}`, 'data-native': '' },
        'Sign in with a user name and password')),
    h('form', { class: 'stack', onsubmit: (e: Event) => void submit(e) },
      h('h2', null, 'Or with an access token'),
      h('label', { for: 'token' }, 'Access token'), input,
      h('p', { id: 'token-help', class: 'muted' }, 'Kept only in this browser tab until you close it or sign out.'),
      h('button', { type: 'submit', class: 'button primary' }, 'Sign in with token'),
      status)));
}

interface TokenRow {
  id: number;
  name: string;
  role: string;
  repos: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

export async function renderTokens(p: Page): Promise<void> {
  p.title('Access tokens');
  const me = await whoami();
  if (!me) {
    clear(p.main, h('h1', null, 'Access tokens'), h('p', null, h('a', { href: '/signin?next=/settings/tokens' },
      'Sign in'), ' to manage your tokens.'));
    return;
  }
  const list = h('tbody');
  const status = h('div', { role: 'status', class: 'form-status' });
  const name = h('input', { id: 'token-name', required: true, autocomplete: 'off' });
  const role = h('select', { id: 'token-role' }, h('option', { value: 'read' }, 'read'),
    h('option', { value: 'write' }, 'write'));
  const repos = h('input', { id: 'token-repos', placeholder: 'owner/name, datasets/owner/name', autocomplete: 'off' });
  const load = async (): Promise<void> => {
    const rows = await getJson<TokenRow[]>('/api/settings/tokens', p.signal);
    clear(list, rows.map(t => h('tr', null,
      h('td', null, t.name), h('td', null, t.role), h('td', null, t.repos.length ? t.repos.join(', ') : 'all'),
      h('td', null, h('time', { datetime: t.createdAt, title: date(t.createdAt) }, ago(t.createdAt))),
      h('td', null, t.lastUsedAt ? ago(t.lastUsedAt) : 'never'),
      h('td', null, h('button', { type: 'button', class: 'button small danger', 'aria-label': `Revoke ${t.name}`,
        onclick: async () => {
          await request(`/api/settings/tokens/${t.id}`, { method: 'DELETE' });
          await load();
        } }, 'Revoke')))));
  };
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      const made = await sendJson<{ token: string }>('POST', '/api/settings/tokens', {
        name: name.value.trim(), role: role.value,
        repos: repos.value.split(',').map(s => s.trim()).filter(Boolean),
      });
      clear(status, h('p', null, 'Copy your new token now; it is not shown again:'),
        h('pre', { class: 'code secret' }, made.token));
      name.value = '';
      await load();
    } catch (err) {
      clear(status, err instanceof ApiError ? err.message : String(err));
    }
  };
  clear(p.main, h('div', { class: 'narrow wide' },
    h('h1', null, 'Access tokens'),
    h('p', null, 'Signed in as ', h('strong', null, me.name), authNote(me), '. ',
      token() ? h('button', { type: 'button', class: 'link', onclick: () => { setToken(null); signedInChanged();
        navigate('/'); } }, 'Sign out') : h('form', { method: 'post', action: '/logout', class: 'inline' },
        h('button', { type: 'submit', class: 'link' }, 'Sign out'))),
    h('div', { class: 'table-scroll' }, h('table', { class: 'small-table' },
      h('thead', null, h('tr', null, ['Name', 'Role', 'Repositories', 'Created', 'Last used', ''].map(c =>
        h('th', { scope: 'col' }, c)))), list)),
    h('form', { class: 'stack', onsubmit: (e: Event) => void create(e) },
      h('h2', null, 'New token'),
      h('label', { for: 'token-name' }, 'Name'), name,
      h('label', { for: 'token-role' }, 'Role'), role,
      h('label', { for: 'token-repos' }, 'Only these repositories (optional, comma-separated)'), repos,
      h('button', { type: 'submit', class: 'button primary' }, 'Create token')),
    status));
  await load().catch(e => clear(status, e instanceof ApiError ? e.message : String(e)));
}

function authNote(me: Whoami): string {
  const t = me.auth?.accessToken;
  return t?.displayName ? ` (token "${t.displayName}", ${t.role ?? 'read'})` : '';
}
