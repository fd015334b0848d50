// History: the commits of a revision, and one commit with the files it changed.

import { getJson, nextLink, request } from './api';
import { clear, h } from './dom';
import { ago, date, shortSha } from './format';
import type { Page } from './main';
import type { RepoView } from './repo';
import { apiPath, blobUrl, commitUrl, commitsUrl, treeUrl } from './routes';
import type { Commit, CommitDetail } from './types';

export async function renderCommits(p: Page, v: RepoView): Promise<void> {
  const list = h('ol', { class: 'commits' });
  const more = h('div', { class: 'more' });
  const total = h('span', { class: 'muted' });
  clear(v.body, h('div', { class: 'files-head' }, h('h2', null, 'History of ', h('code', null, v.rev)), total),
    list, more);
  const load = async (url: string): Promise<void> => {
    const res = await request(url, { signal: p.signal });
    const commits = await res.json() as Commit[];
    const n = res.headers.get('X-Total-Count');
    if (n) {
      total.textContent = `${n} commit${n === '1' ? '' : 's'}`;
    }
    list.append(...commits.map(c => h('li', { class: 'commit' },
      h('a', { href: commitUrl(v.ref, c.id), class: 'commit-title' }, c.title || '(no message)'),
      h('div', { class: 'commit-meta' },
        h('span', null, c.authors.map(a => a.user).join(', ')),
        h('time', { datetime: c.date, title: date(c.date) }, ago(c.date)),
        h('a', { href: commitUrl(v.ref, c.id), class: 'mono', 'aria-label': `Commit ${c.id}` }, shortSha(c.id)),
        h('a', { href: treeUrl(v.ref, c.id), 'aria-label': `Browse files at ${shortSha(c.id)}` }, 'Browse files')))));
    const next = nextLink(res.headers.get('Link'));
    clear(more, next ? h('button', { type: 'button', class: 'button', onclick: () => void load(next) }, 'Older commits')
      : null);
  };
  await load(`${apiPath(v.ref)}/commits/${encodeURIComponent(v.rev)}?limit=30`);
}

export async function renderCommit(p: Page, v: RepoView): Promise<void> {
  const c = await getJson<CommitDetail>(
    `/api/quiver/${v.ref.type}s/${v.ref.ns}/${v.ref.name}/commit/${encodeURIComponent(v.rev)}`, p.signal);
  const body = c.message.includes('\n') ? c.message.slice(c.message.indexOf('\n') + 1).trim() : '';
  const parent = c.parents[0];
  clear(v.body,
    h('div', { class: 'commit-head' },
      h('h2', null, c.title || '(no message)'),
      body ? h('pre', { class: 'commit-message' }, body) : null,
      h('p', { class: 'commit-meta' },
        h('span', null, c.authors.map(a => a.user).join(', ')),
        h('time', { datetime: c.date }, date(c.date)),
        h('span', { class: 'mono' }, c.id),
        c.parents.length ? h('span', null, 'parent ', c.parents.map(pid =>
          h('a', { href: commitUrl(v.ref, pid), class: 'mono' }, shortSha(pid)))) : h('span', null, 'first commit'),
        h('a', { href: treeUrl(v.ref, c.id) }, 'Browse files'),
        h('a', { href: commitsUrl(v.ref, c.id) }, 'History from here'))),
    h('h3', null, `${c.filesTotal} file${c.filesTotal === 1 ? '' : 's'} changed`),
    h('ul', { class: 'changes' }, c.files.map(f => h('li', { class: `change ${f.change}` },
      h('span', { class: `badge change-${f.change}` }, f.change),
      f.change === 'deleted'
        ? (parent ? h('a', { href: blobUrl(v.ref, parent, f.path) }, f.path) : f.path)
        : h('a', { href: blobUrl(v.ref, c.id, f.path) }, f.path)))),
    c.filesTotal > c.files.length ? h('p', { class: 'muted' }, `and ${c.filesTotal - c.files.length} more`) : null);
}
