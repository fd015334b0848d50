// A repository's page: its header and tabs, and the tab the URL names.

import { getJson } from './api';
import { renderCard } from './card';
import { clear, h } from './dom';
import { renderBlob, renderTree } from './files';
import { renderCommit, renderCommits } from './history';
import { renderRepoJobs } from './jobs';
import type { Page } from './main';
import { apiPath, commitsUrl, refOf, repoId, searchUrl, treeUrl, webPath, type RepoTab } from './routes';
import { renderSettings } from './settings';
import type { RepoInfo, RepoRef } from './types';

export interface RepoView {
  ref: RepoRef;
  info: RepoInfo;
  /** The revision the URL names, or the default branch's name `main` when it names none. */
  rev: string;
  path: string;
  body: HTMLElement;
}

export async function renderRepo(p: Page,
  route: { repo: RepoRef; tab: RepoTab; rev: string | null; path: string }): Promise<void> {
  const ref = route.repo;
  const rev = route.rev ?? 'main';
  const info = await getJson<RepoInfo>(`${apiPath(ref)}/revision/${encodeURIComponent(route.rev ?? 'HEAD')}`
    + '?blobs=true', p.signal);
  p.title(route.path ? `${route.path} · ${info.id}` : info.id);
  const body = h('div', { class: 'repo-body' });
  clear(p.main, header(ref, info), tabs(ref, route.tab, route.rev), body);
  const view: RepoView = { ref, info, rev, path: route.path, body };
  switch (route.tab) {
    case 'card': return renderCard(p, view);
    case 'files': return renderTree(p, view);
    case 'blob': return renderBlob(p, view);
    case 'commits': return renderCommits(p, view);
    case 'commit': return renderCommit(p, view);
    case 'settings': return renderSettings(p, view);
    case 'jobs': return renderRepoJobs(p, view);
  }
}

function header(ref: RepoRef, info: RepoInfo): HTMLElement {
  const kind = ref.type === 'dataset' ? 'Dataset' : info.quiver?.adapter ? 'Adapter' : 'Model';
  const copy = h('button', { type: 'button', class: 'button small copy', 'aria-label': `Copy the name ${info.id}`,
    onclick: () => { void navigator.clipboard?.writeText(info.id); copy.textContent = 'Copied'; } }, 'Copy');
  const ownerSearch = searchUrl({ author: ref.ns });
  return h('div', { class: 'repo-head' },
    h('p', { class: 'kind' }, kind),
    h('h1', null, h('a', { href: ownerSearch, class: 'owner' }, ref.ns), h('span', { class: 'slash' }, ' / '),
      h('span', { class: 'name' }, ref.name), ' ', copy),
    h('div', { class: 'tags' },
      info.private ? h('span', { class: 'badge' }, 'private') : null,
      info.gated ? h('span', { class: 'badge' }, `gated (${info.gated})`) : null,
      info.tags.filter(t => !t.startsWith('region:')).slice(0, 24).map(t => tagChip(t))));
}

function tagChip(tag: string): HTMLElement {
  const [key, ...rest] = tag.split(':');
  const value = rest.join(':');
  const facet = ({ license: 'license', dataset: 'dataset', base_model: 'base_model' } as Record<string, string>)[key!];
  if (facet && value) {
    const target = facet === 'base_model' ? value.replace(/^(adapter|finetune|merge|quantized):/, '') : value;
    const base = facet === 'base_model' ? refOf('model', target) : null;
    return h('a', { class: 'chip', href: base ? webPath(base) : searchUrl({ [facet]: target }) }, tag);
  }
  return h('a', { class: 'chip', href: searchUrl({ tag }) }, tag);
}

function tabs(ref: RepoRef, tab: RepoTab, rev: string | null): HTMLElement {
  const r = rev ?? 'main';
  const items: [string, string, RepoTab[]][] = [
    [ref.type === 'dataset' ? 'Dataset card' : 'Model card', webPath(ref), ['card']],
    ['Files and versions', treeUrl(ref, r), ['files', 'blob']],
    ['History', commitsUrl(ref, r), ['commits', 'commit']],
  ];
  if (ref.type === 'model') {
    items.push(['Training', `${webPath(ref)}/jobs`, ['jobs']]);
  }
  items.push(['Settings', `${webPath(ref)}/settings`, ['settings']]);
  return h('nav', { class: 'tabs', 'aria-label': `${repoId(ref)} sections` },
    items.map(([label, href, on]) => h('a', { href, 'aria-current': on.includes(tab) ? 'page' : null }, label)));
}
