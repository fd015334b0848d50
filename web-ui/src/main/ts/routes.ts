// The UI's URLs. Repository pages live where the Hub puts them (`/{ns}/{name}`, `/datasets/{ns}/{name}`),
// next to the API and git paths the server answers itself. A revision is one path segment, with any
// `/` inside it percent-encoded (`refs%2Fpr%2F1`), so a file path never mixes with it.

import type { RepoRef } from './types';

export type RepoTab = 'card' | 'files' | 'blob' | 'commits' | 'commit' | 'settings' | 'jobs';

export type Route =
  | { kind: 'search'; params: URLSearchParams }
  | { kind: 'repo'; repo: RepoRef; tab: RepoTab; rev: string | null; path: string }
  | { kind: 'signin' }
  | { kind: 'tokens' }
  | { kind: 'jobs'; ns: string }
  | { kind: 'job'; ns: string; id: string }
  | { kind: 'notfound' };

const NAME = /^[\w.-]{1,96}$/;
const TABS: Record<string, RepoTab> = {
  tree: 'files', blob: 'blob', commits: 'commits', commit: 'commit', settings: 'settings', jobs: 'jobs',
};
const RESERVED = new Set(['api', 'assets', 'search', 'models', 'datasets', 'signin', 'settings', 'jobs', 'login',
  'logout', 'oauth', 'spaces']);

export function parse(pathname: string, search: string): Route {
  let segs: string[];
  try {
    segs = pathname.split('/').filter(s => s !== '').map(decodeURIComponent);
  } catch {
    return { kind: 'notfound' };
  }
  const params = new URLSearchParams(search);
  if (segs.length === 0 || (segs.length === 1 && segs[0] === 'search')) {
    return { kind: 'search', params };
  }
  if (segs.length === 1 && (segs[0] === 'models' || segs[0] === 'datasets')) {
    params.set('type', segs[0] === 'models' ? 'model' : 'dataset');
    return { kind: 'search', params };
  }
  if (segs.length === 1 && segs[0] === 'signin') {
    return { kind: 'signin' };
  }
  if (segs.length === 2 && segs[0] === 'settings' && segs[1] === 'tokens') {
    return { kind: 'tokens' };
  }
  if (segs[0] === 'jobs' && segs.length === 2) {
    return { kind: 'jobs', ns: segs[1]! };
  }
  if (segs[0] === 'jobs' && segs.length === 3) {
    return { kind: 'job', ns: segs[1]!, id: segs[2]! };
  }
  let type: RepoRef['type'] = 'model';
  if (segs[0] === 'datasets') {
    type = 'dataset';
    segs = segs.slice(1);
  } else if (RESERVED.has(segs[0]!)) {
    return { kind: 'notfound' };
  }
  const [ns, name, tabSeg, rev, ...path] = segs;
  if (!ns || !name || !NAME.test(ns) || !NAME.test(name)) {
    return { kind: 'notfound' };
  }
  const repo = { type, ns, name };
  if (tabSeg === undefined) {
    return { kind: 'repo', repo, tab: 'card', rev: null, path: '' };
  }
  const tab = TABS[tabSeg];
  if (!tab) {
    return { kind: 'notfound' };
  }
  return { kind: 'repo', repo, tab, rev: rev ?? null, path: path.join('/') };
}

export function repoId(r: RepoRef): string {
  return `${r.ns}/${r.name}`;
}

/** `/ns/name` or `/datasets/ns/name`. */
export function webPath(r: RepoRef): string {
  return `${r.type === 'dataset' ? '/datasets' : ''}/${r.ns}/${r.name}`;
}

export function apiPath(r: RepoRef): string {
  return `/api/${r.type}s/${r.ns}/${r.name}`;
}

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function treeUrl(r: RepoRef, rev: string, path = ''): string {
  return `${webPath(r)}/tree/${encodeURIComponent(rev)}${path ? '/' + encodePath(path) : ''}`;
}

export function blobUrl(r: RepoRef, rev: string, path: string): string {
  return `${webPath(r)}/blob/${encodeURIComponent(rev)}/${encodePath(path)}`;
}

export function resolveUrl(r: RepoRef, rev: string, path: string): string {
  return `${webPath(r)}/resolve/${encodeURIComponent(rev)}/${encodePath(path)}`;
}

export function commitsUrl(r: RepoRef, rev: string): string {
  return `${webPath(r)}/commits/${encodeURIComponent(rev)}`;
}

export function commitUrl(r: RepoRef, sha: string): string {
  return `${webPath(r)}/commit/${sha}`;
}

export function searchUrl(params: Record<string, string>): string {
  return '/search?' + new URLSearchParams(params).toString();
}

/** A repository reference from an id like `owner/name`, or null when it is not one. */
export function refOf(type: RepoRef['type'], id: string): RepoRef | null {
  const [ns, name, extra] = id.split('/');
  return ns && name && extra === undefined && NAME.test(ns) && NAME.test(name) ? { type, ns, name } : null;
}
