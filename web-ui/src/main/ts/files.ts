// Files and versions: the tree at any branch, tag or commit, and the file viewer (highlighted text,
// pretty JSON, data files as tables, safetensors as a tensor table), with download links.

import { ApiError, fetchRange, getJson, nextLink, request, sendJson } from './api';
import { clear, h, type Child } from './dom';
import { parse as parseData } from './dataset';
import { ago, bytes, count, date, shortSha } from './format';
import { highlight, languageOf } from './highlight';
import { navigate, type Page } from './main';
import type { RepoView } from './repo';
import { apiPath, blobUrl, commitUrl, commitsUrl, resolveUrl, treeUrl } from './routes';
import { readHeader } from './safetensors';
import type { Refs, TreeEntry } from './types';

const TEXT_LIMIT = 1_000_000;

function revisionPicker(p: Page, v: RepoView, to: (rev: string) => string): HTMLElement {
  const select = h('select', { id: 'rev', 'aria-label': 'Branch or tag' }, h('option', { value: v.rev }, v.rev));
  select.addEventListener('change', () => navigate(to(select.value)));
  void getJson<Refs>(`${apiPath(v.ref)}/refs`, p.signal).then(refs => {
    const group = (label: string, list: { name: string }[]) => list.length
      ? h('optgroup', { label }, list.map(r => h('option', { value: r.name, selected: r.name === v.rev }, r.name)))
      : null;
    const known = [...refs.branches, ...refs.tags].some(r => r.name === v.rev);
    clear(select, known ? null : h('option', { value: v.rev, selected: true },
      /^[0-9a-f]{40}$/.test(v.rev) ? shortSha(v.rev) : v.rev),
    group('Branches', refs.branches), group('Tags', refs.tags));
  }).catch(() => undefined);
  return h('span', { class: 'rev-picker' }, h('label', { for: 'rev', class: 'visually-hidden' }, 'Branch or tag'),
    select);
}

function crumbs(v: RepoView, path: string, last: 'link' | 'text'): HTMLElement {
  const parts = path ? path.split('/') : [];
  const items: Child[] = [h('a', { href: treeUrl(v.ref, v.rev) }, v.ref.name)];
  parts.forEach((part, i) => {
    const sub = parts.slice(0, i + 1).join('/');
    items.push(h('span', { 'aria-hidden': 'true' }, ' / '),
      i === parts.length - 1 && last === 'text' ? h('span', { 'aria-current': 'page' }, part)
        : h('a', { href: treeUrl(v.ref, v.rev, sub) }, part));
  });
  return h('nav', { class: 'crumbs', 'aria-label': 'Path' }, items);
}

export async function renderTree(p: Page, v: RepoView): Promise<void> {
  const tbody = h('tbody');
  const more = h('div', { class: 'more' });
  clear(v.body,
    h('div', { class: 'files-head' }, revisionPicker(p, v, rev => treeUrl(v.ref, rev, v.path)), crumbs(v, v.path, 'text'),
      h('a', { href: commitsUrl(v.ref, v.rev), class: 'button small' }, 'History')),
    h('div', { class: 'table-scroll' }, h('table', { class: 'file-table' },
      h('caption', { class: 'visually-hidden' }, `Files at ${v.rev}${v.path ? ' in ' + v.path : ''}`),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col', class: 'num' }, 'Size'),
        h('th', { scope: 'col', class: 'hide-narrow' }, 'Last commit'), h('th', { scope: 'col' },
          h('span', { class: 'visually-hidden' }, 'Download')))),
      tbody)), more);
  const load = async (url: string): Promise<void> => {
    const res = await request(url, { signal: p.signal });
    const entries = await res.json() as TreeEntry[];
    entries.sort((a, b) => (a.type === b.type ? a.path.localeCompare(b.path) : a.type === 'directory' ? -1 : 1));
    tbody.append(...entries.map(e => entryRow(v, e)));
    const next = nextLink(res.headers.get('Link'));
    clear(more, next ? h('button', { type: 'button', class: 'button', onclick: () => void load(next) }, 'Load more')
      : null);
  };
  const path = v.path ? '/' + v.path.split('/').map(encodeURIComponent).join('/') : '';
  await load(`${apiPath(v.ref)}/tree/${encodeURIComponent(v.rev)}${path}?expand=true`);
  if (!tbody.children.length) {
    tbody.append(h('tr', null, h('td', { colspan: '4', class: 'muted' }, 'No files.')));
  }
  if (!v.path) {
    const refs = await getJson<Refs>(`${apiPath(v.ref)}/refs`, p.signal);
    v.body.append(h('section', { class: 'refs', 'aria-labelledby': 'refs-h' },
      h('h2', { id: 'refs-h' }, 'Branches and tags'),
      h('ul', { class: 'ref-list' }, [...refs.branches.map(r => ({ r, kind: 'branch' })),
        ...refs.tags.map(r => ({ r, kind: 'tag' }))].map(({ r, kind }) => h('li', null,
        h('span', { class: 'badge' }, kind), ' ',
        h('a', { href: treeUrl(v.ref, r.name) }, r.name), ' ',
        h('a', { href: commitUrl(v.ref, r.targetCommit), class: 'mono muted' }, shortSha(r.targetCommit)))))));
  }
}

function entryRow(v: RepoView, e: TreeEntry): HTMLElement {
  const name = e.path.split('/').pop() ?? e.path;
  const dir = e.type === 'directory';
  return h('tr', { class: dir ? 'dir' : 'file' },
    h('td', null, h('span', { class: 'icon', 'aria-hidden': 'true' }, dir ? '▸' : '·'),
      h('a', { href: dir ? treeUrl(v.ref, v.rev, e.path) : blobUrl(v.ref, v.rev, e.path) }, name),
      e.lfs ? h('span', { class: 'badge lfs', title: `LFS object ${e.lfs.oid}` }, 'LFS') : null),
    h('td', { class: 'num' }, dir ? '' : bytes(e.size)),
    h('td', { class: 'hide-narrow last-commit' }, e.lastCommit ? [
      h('a', { href: commitUrl(v.ref, e.lastCommit.id) }, e.lastCommit.title),
      h('time', { datetime: e.lastCommit.date, title: date(e.lastCommit.date) }, ` ${ago(e.lastCommit.date)}`)] : ''),
    h('td', null, dir ? '' : h('a', { href: resolveUrl(v.ref, v.rev, e.path), download: name,
      'aria-label': `Download ${name}`, class: 'download' }, '↓')));
}

export async function renderBlob(p: Page, v: RepoView): Promise<void> {
  const entries = await sendJson<TreeEntry[]>('POST', `${apiPath(v.ref)}/paths-info/${encodeURIComponent(v.rev)}`,
    { paths: [v.path], expand: true });
  const entry = entries.find(e => e.path === v.path);
  if (!entry) {
    throw new ApiError(404, `No file ${v.path} at ${v.rev}.`, 'EntryNotFound');
  }
  if (entry.type === 'directory') {
    navigate(treeUrl(v.ref, v.rev, v.path), true);
    return;
  }
  const name = v.path.split('/').pop() ?? v.path;
  const raw = resolveUrl(v.ref, v.rev, v.path);
  const content = h('div', { class: 'blob-content' }, h('p', { class: 'muted' }, 'Loading…'));
  clear(v.body,
    h('div', { class: 'files-head' }, revisionPicker(p, v, rev => blobUrl(v.ref, rev, v.path)), crumbs(v, v.path, 'text')),
    h('div', { class: 'blob-head' },
      h('span', null, bytes(entry.size)),
      entry.lfs ? h('span', { class: 'badge lfs', title: 'Stored with Git LFS' }, 'LFS') : null,
      entry.lfs ? h('span', { class: 'mono muted', title: 'sha256' }, `sha256 ${entry.lfs.oid.slice(0, 12)}…`) : null,
      entry.lastCommit ? h('span', null, h('a', { href: commitUrl(v.ref, entry.lastCommit.id) }, entry.lastCommit.title),
        ` ${ago(entry.lastCommit.date)}`) : null,
      h('span', { class: 'spacer' }),
      h('a', { href: raw, download: name, class: 'button small', id: 'download' }, 'Download'),
      h('a', { href: raw, class: 'button small', 'data-native': '', target: '_blank', rel: 'noopener' }, 'Raw')),
    content);
  if (name.endsWith('.safetensors')) {
    return showSafetensors(p, raw, content);
  }
  if (entry.lfs && entry.size > TEXT_LIMIT) {
    clear(content, binaryNote(entry.size));
    return;
  }
  const got = await fetchRange(raw, 0, TEXT_LIMIT, p.signal);
  if (looksBinary(got.bytes)) {
    clear(content, binaryNote(entry.size));
    return;
  }
  const complete = got.bytes.length >= entry.size;
  let text = new TextDecoder().decode(got.bytes);
  const lang = languageOf(v.path);
  const parts: Child[] = [];
  if (/\.(jsonl|ndjson|csv|tsv)$/i.test(v.path)) {
    try {
      const data = parseData(v.path, text, complete, entry.size);
      parts.push(h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Rows' },
        h('table', { class: 'data-table' },
          h('caption', null, complete ? `${data.rowCount.toLocaleString('en')} rows` : `about ${count(data.rowCount)} rows`),
          h('thead', null, h('tr', null, data.columns.map(c => h('th', { scope: 'col' }, c)))),
          h('tbody', null, data.rows.slice(0, 50).map(r => h('tr', null, data.columns.map(c =>
            h('td', null, typeof r[c] === 'string' ? r[c] as string : JSON.stringify(r[c] ?? '')))))))));
    } catch {
      // not well-formed: the text view below still shows it
    }
  }
  if (lang === 'json' && complete && v.path.endsWith('.json')) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // keep it as written
    }
  }
  parts.push(h('pre', { class: `code lang-${lang ?? 'text'}`, tabindex: '0' }, h('code', null, highlight(text, lang))));
  if (!complete) {
    parts.push(h('p', { class: 'muted' }, `Showing the first ${bytes(got.bytes.length)} of ${bytes(entry.size)}.`));
  }
  clear(content, parts);
}

function looksBinary(b: Uint8Array): boolean {
  return b.subarray(0, 8000).includes(0);
}

function binaryNote(size: number): HTMLElement {
  return h('p', { class: 'muted' }, `Binary file (${bytes(size)}). Use Download to get it.`);
}

async function showSafetensors(p: Page, raw: string, box: HTMLElement): Promise<void> {
  let header;
  try {
    header = await readHeader(raw, p.signal);
  } catch (e) {
    clear(box, h('p', { role: 'alert' }, `Cannot read the safetensors header: ${e instanceof Error ? e.message : e}`));
    return;
  }
  const total = header.tensors.reduce((n, t) => n + t.parameters, 0);
  const dtypes = [...new Set(header.tensors.map(t => t.dtype))].join(', ');
  const filter = h('input', { type: 'search', id: 'tensor-filter', placeholder: 'Filter tensors…' });
  const tbody = h('tbody');
  const fill = (): void => {
    const f = filter.value.trim().toLowerCase();
    clear(tbody, header.tensors.filter(t => !f || t.name.toLowerCase().includes(f)).slice(0, 5000).map(t =>
      h('tr', null, h('td', { class: 'mono' }, t.name), h('td', null, t.dtype), h('td', { class: 'mono' },
        `[${t.shape.join(', ')}]`), h('td', { class: 'num' }, t.parameters.toLocaleString('en')),
      h('td', { class: 'num' }, bytes(t.bytes)))));
  };
  filter.addEventListener('input', fill);
  fill();
  clear(box,
    h('p', { class: 'tensor-summary' }, `${header.tensors.length} tensors · ${count(total)} parameters · ${dtypes}`
      + ` · header ${bytes(header.headerBytes)}`),
    Object.keys(header.metadata).length ? h('dl', { class: 'inline-dl' }, Object.entries(header.metadata).map(([k, val]) =>
      [h('dt', null, k), h('dd', null, val)])) : null,
    h('p', null, h('label', { for: 'tensor-filter' }, 'Filter '), filter),
    h('div', { class: 'table-scroll' }, h('table', { class: 'tensor-table' },
      h('caption', { class: 'visually-hidden' }, 'Tensors'),
      h('thead', null, h('tr', null, ['Tensor', 'Dtype', 'Shape', 'Parameters', 'Size'].map(c =>
        h('th', { scope: 'col', class: c === 'Parameters' || c === 'Size' ? 'num' : null }, c)))),
      tbody)));
}
