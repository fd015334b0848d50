// Home and search: a query box with results as you type, facets with counts, sort, snippets.
// The page state lives in the URL (?q=&type=&sort=&<facet>=...), so every view can be linked.

import { ApiError, nextLink, request } from './api';
import { clear, h, snippet } from './dom';
import { ago, count, tone } from './format';
import { navigate, type Page } from './main';
import { refOf, webPath } from './routes';
import type { SearchHit, SearchResult } from './types';

/** Facet dimensions the API counts, with the label people see, in the order shown. */
const FACETS: [string, string][] = [
  ['type', 'Type'], ['base_model', 'Base model'], ['library', 'Library'], ['pipeline_tag', 'Task'],
  ['verification', 'Verified'], ['license', 'License'], ['language', 'Language'], ['dataset', 'Dataset'],
  ['author', 'Author'], ['peft_type', 'Adapter type'], ['rank', 'Rank'],
];
const SORTS: [string, string][] = [
  ['', 'Best match'], ['trendingScore', 'Trending'], ['downloads', 'Most downloads'], ['likes', 'Most likes'],
  ['lastModified', 'Recently updated'], ['createdAt', 'Recently created'],
];
const PASS_THROUGH = new Set(['q', 'sort', 'tag', ...FACETS.map(f => f[0])]);
const FACET_SHOWN = 8;

function apiQuery(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const [k, v] of params) {
    if (PASS_THROUGH.has(k) && v !== '') {
      out.append(k, v);
    }
  }
  return out.toString();
}

export async function renderSearch(p: Page, params: URLSearchParams): Promise<void> {
  const q = params.get('q') ?? '';
  const type = params.get('type');
  p.title(q ? `Search: ${q}` : type === 'dataset' ? 'Datasets' : type === 'model' ? 'Models' : 'Search');
  const input = h('input', { id: 'q', type: 'search', name: 'q', value: q, autocomplete: 'off',
    placeholder: 'e.g. support, llama, lora r=16…', 'aria-controls': 'results' });
  const sort = h('select', { id: 'sort', name: 'sort' },
    SORTS.map(([v, label]) => h('option', { value: v, selected: (params.get('sort') ?? '') === v }, label)));
  const status = h('p', { class: 'muted', id: 'result-count', role: 'status', 'aria-live': 'polite' });
  const facets = h('div', { class: 'facets' });
  const results = h('ol', { class: 'results', id: 'results', 'aria-labelledby': 'result-count' });
  const more = h('div', { class: 'more' });
  const chosen = h('div', { class: 'chosen' });
  clear(p.main,
    h('div', { class: 'search-head' },
      h('h1', { class: 'visually-hidden' }, 'Search'),
      h('form', { class: 'search-form', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
        h('label', { for: 'q' }, 'Search models and datasets'),
        h('div', { class: 'row' }, input,
          h('label', { for: 'sort', class: 'visually-hidden' }, 'Sort by'), sort))),
    h('div', { class: 'search-body' },
      h('details', { class: 'facet-panel', open: window.matchMedia('(min-width: 800px)').matches },
        h('summary', null, 'Filters'), facets),
      h('section', { class: 'result-panel', 'aria-label': 'Results' }, chosen, status, results, more)));

  let inflight: AbortController | null = null;
  let timer = 0;
  const run = async (state: URLSearchParams): Promise<void> => {
    inflight?.abort();
    const controller = new AbortController();
    inflight = controller;
    p.signal.addEventListener('abort', () => controller.abort());
    const started = performance.now();
    try {
      const res = await request(`/api/quiver/search?${apiQuery(state)}`, { signal: controller.signal });
      const body = await res.json() as SearchResult;
      if (controller.signal.aborted) {
        return;
      }
      showChosen(chosen, state);
      showResults(status, results, more, body, state, nextLink(res.headers.get('Link')));
      showFacets(facets, body, state);
      if (performance.getEntriesByName('quiver:first-results').length === 0) {
        performance.mark('quiver:first-results');
      }
      document.body.dataset['searchMs'] = String(Math.round(performance.now() - started));
    } catch (e) {
      if (!controller.signal.aborted) {
        clear(status, e instanceof ApiError ? e.message : 'Search failed.');
        status.setAttribute('role', 'alert');
      }
    }
  };
  // the route's parameters, not location.search: /models and /datasets carry their type in the path
  let state = new URLSearchParams(params);
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const next = new URLSearchParams(state);
      state = next;
      setOrDelete(next, 'q', input.value.trim());
      history.replaceState(null, '', urlOf(next));
      p.title(input.value.trim() ? `Search: ${input.value.trim()}` : 'Search');
      void run(next);
    }, 120);
  });
  sort.addEventListener('change', () => {
    const next = new URLSearchParams(state);
    setOrDelete(next, 'sort', sort.value);
    navigate(urlOf(next), true);
  });
  if (location.pathname === '/' && !q) {
    input.focus();
  }
  await run(params);
}

function urlOf(params: URLSearchParams): string {
  const s = params.toString();
  return s ? `/search?${s}` : '/search';
}

function setOrDelete(params: URLSearchParams, key: string, value: string): void {
  if (value) {
    params.set(key, value);
  } else {
    params.delete(key);
  }
}

function toggled(state: URLSearchParams, dim: string, value: string): string {
  const next = new URLSearchParams(state);
  const values = next.getAll(dim);
  next.delete(dim);
  const keep = values.includes(value) ? values.filter(v => v !== value) : [...values, value];
  keep.forEach(v => next.append(dim, v));
  return urlOf(next);
}

function showChosen(box: HTMLElement, state: URLSearchParams): void {
  const chips = [...state].filter(([k]) => k !== 'q' && k !== 'sort' && PASS_THROUGH.has(k))
    .map(([k, v]) => h('a', { class: 'chip removable', href: toggled(state, k, v),
      'aria-label': `Remove filter ${label(k)}: ${v}` }, `${label(k)}: ${v}`, h('span', { 'aria-hidden': 'true' }, ' ×')));
  clear(box, chips.length ? [h('span', { class: 'muted' }, 'Filters: '), chips,
    h('a', { href: urlOf(new URLSearchParams(state.get('q') ? { q: state.get('q')! } : {})), class: 'clear' },
      'Clear all')] : null);
}

function label(dim: string): string {
  return FACETS.find(f => f[0] === dim)?.[1] ?? dim;
}

function showFacets(box: HTMLElement, body: SearchResult, state: URLSearchParams): void {
  clear(box, FACETS.filter(([dim]) => (body.facets[dim]?.length ?? 0) > 0).map(([dim, title]) => {
    const values = body.facets[dim]!;
    const list = (vs: typeof values) => vs.map(({ value, count: n }) => {
      const on = state.getAll(dim).includes(value);
      return h('li', null, h('a', { href: toggled(state, dim, value), class: on ? 'facet on' : 'facet',
        'aria-pressed': on ? 'true' : 'false', 'data-facet': dim, 'data-value': value },
      h('span', { class: 'facet-value' }, value), h('span', { class: 'count' }, count(n))));
    });
    return h('section', { class: 'facet-group', 'aria-label': title },
      h('h2', null, title),
      h('ul', null, list(values.slice(0, FACET_SHOWN))),
      values.length > FACET_SHOWN ? h('details', null, h('summary', null, `${values.length - FACET_SHOWN} more`),
        h('ul', null, list(values.slice(FACET_SHOWN)))) : null);
  }));
}

function showResults(status: HTMLElement, list: HTMLElement, more: HTMLElement, body: SearchResult,
  state: URLSearchParams, next: string | null): void {
  status.removeAttribute('role');
  clear(status, body.total === 0 ? 'No repositories match.' : `${body.total.toLocaleString('en')} result${body.total === 1 ? '' : 's'}`,
    body.didYouMean ? [' — did you mean ', h('a', { href: urlOf(new URLSearchParams({ ...Object.fromEntries(state),
      q: body.didYouMean })) }, body.didYouMean), '?'] : null);
  clear(list, body.items.map(hitItem));
  pager(more, list, next);
}

function pager(more: HTMLElement, list: HTMLElement, next: string | null): void {
  clear(more, next ? h('button', { type: 'button', class: 'button', onclick: async () => {
    const res = await getJsonWithLink(next);
    list.append(...res.body.items.map(hitItem));
    pager(more, list, res.next);
  } }, 'Show more') : null);
}

async function getJsonWithLink(path: string): Promise<{ body: SearchResult; next: string | null }> {
  const res = await request(path);
  return { body: await res.json() as SearchResult, next: nextLink(res.headers.get('Link')) };
}

export function hitItem(hit: SearchHit): HTMLElement {
  const ref = refOf(hit.type, hit.id);
  const a = hit.adapter;
  return h('li', { class: 'hit' },
    h('div', { class: 'hit-title' },
      h('span', { class: `badge type-${hit.type}` }, hit.type === 'dataset' ? 'dataset' : a ? 'adapter' : 'model'),
      ref ? h('a', { href: webPath(ref), class: 'hit-link' }, hit.id) : hit.id,
      hit.private ? h('span', { class: 'badge' }, 'private') : null,
      verificationBadge(hit.verification)),
    hit.highlights.length ? h('p', { class: 'snippet' }, snippet(hit.highlights[0]!)) : null,
    h('p', { class: 'hit-meta' },
      a ? h('span', null, 'for ', baseLink(a.baseModel), ` · ${a.peftType} r=${a.r}`) : null,
      hit.pipeline_tag ? h('span', null, hit.pipeline_tag) : null,
      hit.library_name ? h('span', null, hit.library_name) : null,
      hit.license ? h('span', null, hit.license) : null,
      h('span', null, `updated ${ago(hit.lastModified)}`),
      h('span', { title: 'downloads' }, `↓ ${count(hit.downloads)}`),
      h('span', { title: 'likes' }, `♥ ${count(hit.likes)}`)));
}

function baseLink(id: string): HTMLElement {
  const ref = refOf('model', id);
  return ref ? h('a', { href: webPath(ref) }, id) : h('span', null, id);
}

export function verificationBadge(status: string | undefined): HTMLElement | null {
  if (!status || status === 'unverified') {
    return null;
  }
  const ok = tone(status) === 'ok';
  const bad = tone(status) === 'bad';
  return h('span', { class: `badge ${ok ? 'ok' : bad ? 'bad' : ''}` }, ok ? '✓ verified' : bad ? '✗ failed verification'
    : status);
}

