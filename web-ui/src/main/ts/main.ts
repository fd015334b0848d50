// The shell: header, client-side navigation and the page for each route.

import { ApiError, getJson, setToken, token } from './api';
import { clear, h } from './dom';
import { renderJob, renderJobs } from './jobs';
import { renderRepo } from './repo';
import { parse, type Route } from './routes';
import { renderSearch } from './search';
import { renderSignIn, renderTokens } from './account';
import type { Whoami } from './types';

export interface Page {
  main: HTMLElement;
  signal: AbortSignal;
  /** Sets the document title and the page's heading that receives focus after navigation. */
  title(text: string): void;
}

let current: AbortController | null = null;
let who: Promise<Whoami | null> | null = null;

export function whoami(): Promise<Whoami | null> {
  who ??= getJson<Whoami>('/api/whoami-v2').catch(() => null);
  return who;
}

export function signedInChanged(): void {
  who = null;
  void renderHeader();
}

export function navigate(url: string, replace = false): void {
  if (replace) {
    history.replaceState(null, '', url);
  } else {
    history.pushState(null, '', url);
  }
  void render(true);
}

async function renderHeader(): Promise<void> {
  const top = document.getElementById('top')!;
  const q = new URLSearchParams(location.search).get('q') ?? '';
  const account = h('div', { class: 'account' });
  clear(top,
    h('a', { class: 'brand', href: '/' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '➶'), 'Quiver'),
    h('form', { class: 'top-search', role: 'search', action: '/search', method: 'get' },
      h('label', { for: 'top-q', class: 'visually-hidden' }, 'Search the hub'),
      h('input', { id: 'top-q', name: 'q', type: 'search', placeholder: 'Search adapters, models, datasets…',
        value: q, autocomplete: 'off' })),
    h('nav', { class: 'top-nav', 'aria-label': 'Main' },
      h('a', { href: '/models' }, 'Models'), h('a', { href: '/datasets' }, 'Datasets')),
    account);
  const me = await whoami();
  if (me) {
    clear(account,
      h('a', { href: `/jobs/${encodeURIComponent(me.name)}` }, 'Jobs'),
      h('a', { href: '/settings/tokens', class: 'me' }, me.name),
      token() ? h('button', { type: 'button', class: 'link', onclick: () => { setToken(null); signedInChanged();
        navigate('/'); } }, 'Sign out')
        : h('form', { method: 'post', action: '/logout', class: 'inline' }, h('button', { type: 'submit', class: 'link' },
          'Sign out')));
  } else {
    clear(account, h('a', { href: '/signin', class: 'button small' }, 'Sign in'));
  }
}

function page(signal: AbortSignal): Page {
  const main = document.getElementById('main')!;
  return {
    main,
    signal,
    title(text: string) {
      document.title = `${text} · Quiver`;
    },
  };
}

async function render(moveFocus: boolean): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const route = parse(location.pathname, location.search);
  document.body.dataset['route'] = route.kind;
  const p = page(controller.signal);
  const input = document.getElementById('top-q') as HTMLInputElement | null;
  if (input && document.activeElement !== input) {
    input.value = route.kind === 'search' ? route.params.get('q') ?? '' : '';
  }
  try {
    await dispatch(route, p);
  } catch (e) {
    if (controller.signal.aborted) {
      return;
    }
    showError(p, e);
  }
  if (moveFocus && !controller.signal.aborted && route.kind !== 'search') {
    const heading = p.main.querySelector('h1');
    heading?.setAttribute('tabindex', '-1');
    (heading ?? p.main).focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
}

async function dispatch(route: Route, p: Page): Promise<void> {
  switch (route.kind) {
    case 'search': return renderSearch(p, route.params);
    case 'repo': return renderRepo(p, route);
    case 'signin': return renderSignIn(p);
    case 'tokens': return renderTokens(p);
    case 'jobs': return renderJobs(p, route.ns);
    case 'job': return renderJob(p, route.ns, route.id);
    case 'notfound': return notFound(p);
  }
}

function notFound(p: Page): void {
  p.title('Not found');
  clear(p.main, h('h1', null, 'Page not found'),
    h('p', null, 'Nothing lives at this address. ', h('a', { href: '/' }, 'Search the hub'), '.'));
}

export function showError(p: Page, e: unknown): void {
  if (e instanceof ApiError && (e.status === 404 || e.status === 401)) {
    p.title('Not found');
    clear(p.main, h('h1', null, 'Not found'),
      h('p', null, e.message),
      e.status === 401 && !token() ? h('p', null, 'It may be private: ', h('a', { href: '/signin' }, 'sign in'),
        ' to see it.') : null);
    return;
  }
  p.title('Error');
  clear(p.main, h('h1', null, 'Something went wrong'),
    h('p', { role: 'alert' }, e instanceof Error ? e.message : String(e)));
}

/** Follows same-origin links inside the page without reloading it. */
function onClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
    return;
  }
  const a = (e.target as Element).closest('a');
  if (!a || !a.href || a.target || a.hasAttribute('download') || a.hasAttribute('data-native')) {
    return;
  }
  const url = new URL(a.href);
  if (url.origin !== location.origin || /\/(resolve|raw)\//.test(url.pathname) || url.pathname.startsWith('/api/')) {
    return;
  }
  if (url.pathname === location.pathname && url.search === location.search && url.hash) {
    return;
  }
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

function onSubmit(e: SubmitEvent): void {
  const form = e.target as HTMLFormElement;
  if (!form.classList.contains('top-search')) {
    return;
  }
  e.preventDefault();
  const q = (form.elements.namedItem('q') as HTMLInputElement).value.trim();
  navigate(q ? `/search?q=${encodeURIComponent(q)}` : '/search');
}

document.addEventListener('click', onClick);
document.addEventListener('submit', onSubmit);
window.addEventListener('popstate', () => void render(false));
void renderHeader();
void render(false);
