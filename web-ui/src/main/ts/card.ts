// The card tab: the model card (server-rendered, sanitized again here) beside a metadata panel that
// answers "what is this and can I trust it": for an adapter its base, LoRA settings, size next to its
// base, verification checks and lineage; for a base model its adapters; for a dataset a preview.

import { ApiError, getJson } from './api';
import { clear, h, safeHref, type Child } from './dom';
import { renderDatasetPreview } from './dataset';
import { ago, bytes, count, date, percent, shortSha, tone } from './format';
import type { Page } from './main';
import type { RepoView } from './repo';
import { apiPath, refOf, searchUrl, treeUrl, webPath } from './routes';
import { sanitizeCard } from './sanitize';
import { hitItem, verificationBadge } from './search';
import type { AdapterFacts, Checks, RepoInfo, SearchHit, SearchResult } from './types';

export async function renderCard(p: Page, v: RepoView): Promise<void> {
  const article = h('article', { class: 'card-body markdown', 'aria-label': 'Card' },
    h('p', { class: 'muted' }, 'Loading card…'));
  const extra = h('div', { class: 'card-extra' });
  const panel = h('aside', { class: 'meta-panel', 'aria-label': 'Details' });
  clear(v.body, h('div', { class: 'card-layout' }, h('div', { class: 'card-main' }, extra, article), panel));
  const card = getJson<{ html: string; exists: boolean }>(
    `/api/quiver/${v.ref.type}s/${v.ref.ns}/${v.ref.name}/card/${encodeURIComponent(v.rev)}`, p.signal);
  const work: Promise<unknown>[] = [
    card.then(c => clear(article, c.exists && c.html.trim() ? sanitizeCard(c.html)
      : h('p', { class: 'muted' }, 'This repository has no card yet.'))),
    renderPanel(p, v, panel),
  ];
  if (v.ref.type === 'dataset') {
    work.push(renderDatasetPreview(p, v, extra));
  } else if (!v.info.quiver?.adapter) {
    work.push(renderAdaptersOfBase(p, v, extra));
  }
  await Promise.all(work);
}

function row(label: string, ...value: Child[]): HTMLElement[] {
  return [h('dt', null, label), h('dd', null, ...value)];
}

function section(title: string, ...content: Child[]): HTMLElement {
  return h('section', { class: 'meta-section' }, h('h2', null, title), ...content);
}

async function renderPanel(p: Page, v: RepoView, panel: HTMLElement): Promise<void> {
  const info = v.info;
  const adapter = info.quiver?.adapter;
  const sections: HTMLElement[] = [];
  if (adapter) {
    sections.push(await adapterSection(p, info, adapter));
    sections.push(await verificationSection(p, v));
  }
  const lineage = lineageSection(info, adapter);
  if (lineage) {
    sections.push(lineage);
  }
  const evals = evalSection(info);
  if (evals) {
    sections.push(evals);
  }
  if (!adapter && info.safetensors) {
    sections.push(section('Weights', h('dl', null,
      row('Parameters', count(info.safetensors.total)),
      row('Dtypes', Object.entries(info.safetensors.parameters).map(([d, n]) => `${d} ${count(n)}`).join(', ')))));
  }
  sections.push(section('Repository', h('dl', null,
    row('Updated', h('time', { datetime: info.lastModified, title: date(info.lastModified) }, ago(info.lastModified))),
    row('Commit', h('a', { href: treeUrl(v.ref, info.sha), class: 'mono' }, shortSha(info.sha))),
    info.library_name ? row('Library', h('a', { href: searchUrl({ library: info.library_name }) }, info.library_name))
      : null,
    info.pipeline_tag ? row('Task', h('a', { href: searchUrl({ pipeline_tag: info.pipeline_tag }) },
      info.pipeline_tag)) : null,
    license(info),
    row('Size', bytes(info.usedStorage ?? 0)),
    row('Downloads', count(info.downloads)),
    row('Likes', count(info.likes)))));
  sections.push(useSection(v, adapter));
  clear(panel, sections);
}

function license(info: RepoInfo): HTMLElement[] | null {
  const value = info.cardData?.['license'];
  if (typeof value !== 'string') {
    return null;
  }
  const link = safeHref(info.cardData?.['license_link']);
  return row('License', link ? h('a', { href: link, rel: 'nofollow noopener noreferrer' }, value)
    : h('a', { href: searchUrl({ license: value }) }, value));
}

async function baseInfo(p: Page, id: string): Promise<RepoInfo | null> {
  const ref = refOf('model', id);
  if (!ref) {
    return null;
  }
  try {
    return await getJson<RepoInfo>(`${apiPath(ref)}?blobs=true`, p.signal);
  } catch (e) {
    if (e instanceof ApiError) {
      return null; // the base lives on another hub, or is private to this caller
    }
    throw e;
  }
}

function weightBytes(info: RepoInfo): number {
  return info.siblings.filter(s => /\.(safetensors|bin|pt|pth|gguf)$/.test(s.rfilename))
    .reduce((sum, s) => sum + (s.size ?? s.lfs?.size ?? 0), 0);
}

async function adapterSection(p: Page, info: RepoInfo, a: AdapterFacts): Promise<HTMLElement> {
  const base = await baseInfo(p, a.baseModel);
  const baseRef = refOf('model', a.baseModel);
  const baseLink = base && baseRef ? h('a', { href: webPath(baseRef) }, a.baseModel) : h('span', null, a.baseModel);
  const pinned = a.baseRevision
    ? (baseRef && base ? h('a', { href: treeUrl(baseRef, a.baseRevision), class: 'mono' }, shortSha(a.baseRevision))
      : h('span', { class: 'mono' }, shortSha(a.baseRevision)))
    : h('span', { class: 'warn' }, 'not pinned');
  const baseParams = base?.safetensors?.total ?? 0;
  const adapterBytes = weightBytes(info);
  const baseBytes = base ? weightBytes(base) : 0;
  const scale = a.r > 0 ? a.alpha / a.r : 0;
  return section('Adapter', h('dl', { class: 'adapter-facts' },
    row('Base model', baseLink),
    row('Base revision', pinned, base && a.baseRevision && base.sha.startsWith(a.baseRevision)
      ? h('span', { class: 'muted' }, ' (current)') : null),
    row('PEFT type', a.peftType),
    row('Rank (r)', String(a.r)),
    row('Alpha', `${a.alpha}`, scale ? h('span', { class: 'muted' }, ` (scale ${+scale.toFixed(3)})`) : null),
    row('Target modules', h('span', { class: 'modules' }, a.targetModules.map(m => h('code', null, m)))),
    row('Trainable parameters', count(a.parameters), baseParams
      ? h('span', { class: 'muted' }, ` — ${percent(a.parameters, baseParams)} of ${count(baseParams)}`) : null),
    row('File size', bytes(adapterBytes), baseBytes
      ? h('span', { class: 'muted' }, ` vs base ${bytes(baseBytes)} (${percent(adapterBytes, baseBytes)})`) : null)));
}

async function verificationSection(p: Page, v: RepoView): Promise<HTMLElement> {
  let checks: Checks | null = null;
  try {
    checks = await getJson<Checks>(`${apiPath(v.ref)}/checks/${encodeURIComponent(v.info.sha)}`, p.signal);
  } catch (e) {
    if (!(e instanceof ApiError)) {
      throw e;
    }
  }
  if (!checks || checks.checks.length === 0) {
    return section('Verification', h('p', { class: 'muted' }, 'No checks recorded for this commit yet.'));
  }
  return section('Verification',
    h('p', null, verificationBadge(checks.status) ?? h('span', { class: 'badge' }, checks.status),
      h('span', { class: 'muted' }, ` at ${shortSha(checks.commit)}`)),
    h('ul', { class: 'checks' }, checks.checks.map(c => h('li', { class: `check ${c.status}` },
      h('details', null,
        h('summary', null, h('span', { class: 'check-name' }, c.name), ' ',
          h('span', { class: `badge ${tone(c.status)}` }, c.status),
          c.summary ? h('span', { class: 'check-summary' }, ` ${c.summary}`) : null),
        h('pre', { class: 'check-details' }, JSON.stringify(c.details, null, 2)))))));
}

function lineageSection(info: RepoInfo, adapter: AdapterFacts | undefined): HTMLElement | null {
  const card = info.cardData ?? {};
  const lines: HTMLElement[] = [];
  const datasets = listOf(card['datasets']);
  for (const d of datasets) {
    const ref = refOf('dataset', d);
    lines.push(...row('Dataset', ref ? h('a', { href: webPath(ref) }, d) : d));
  }
  const bases = listOf(card['base_model']).filter(b => b !== adapter?.baseModel);
  for (const b of bases) {
    const ref = refOf('model', b);
    lines.push(...row('Base model', ref ? h('a', { href: webPath(ref) }, b) : b));
  }
  for (const [key, value] of Object.entries(card)) {
    if (/(_revision|_commit|_sha)$/.test(key) && typeof value === 'string' && key !== 'base_model_revision') {
      lines.push(...row(key.replace(/_/g, ' '), h('span', { class: 'mono' }, shortSha(value))));
    }
  }
  const relation = card['base_model_relation'];
  if (typeof relation === 'string') {
    lines.push(...row('Relation', relation));
  }
  return lines.length ? section('Lineage', h('dl', null, lines)) : null;
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}

interface ModelIndexEntry {
  results?: { task?: { type?: string }; dataset?: { name?: string; type?: string };
    metrics?: { type?: string; name?: string; value?: unknown }[] }[];
}

function evalSection(info: RepoInfo): HTMLElement | null {
  const index = info.cardData?.['model-index'];
  if (!Array.isArray(index)) {
    return null;
  }
  const rows: HTMLElement[] = [];
  for (const entry of index as ModelIndexEntry[]) {
    for (const result of entry?.results ?? []) {
      for (const m of result?.metrics ?? []) {
        rows.push(h('tr', null, h('td', null, String(result.dataset?.name ?? result.dataset?.type ?? '')),
          h('td', null, String(m.name ?? m.type ?? '')), h('td', { class: 'num' }, String(m.value ?? ''))));
      }
    }
  }
  return rows.length ? section('Evaluation', h('table', { class: 'small-table' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Dataset'), h('th', { scope: 'col' }, 'Metric'),
      h('th', { scope: 'col' }, 'Value'))), h('tbody', null, rows))) : null;
}

function useSection(v: RepoView, adapter: AdapterFacts | undefined): HTMLElement {
  const id = v.info.id;
  const code = v.ref.type === 'dataset'
    ? `from huggingface_hub import snapshot_download\nsnapshot_download("${id}", repo_type="dataset")`
    : adapter
      ? `from transformers import AutoModelForCausalLM\nfrom peft import PeftModel\n\nbase = AutoModelForCausalLM.from_pretrained("${adapter.baseModel}"${adapter.baseRevision ? `, revision="${adapter.baseRevision}"` : ''})\nmodel = PeftModel.from_pretrained(base, "${id}")`
      : `from transformers import AutoModelForCausalLM\nmodel = AutoModelForCausalLM.from_pretrained("${id}")`;
  return section('Use it',
    h('p', { class: 'muted' }, 'With HF_ENDPOINT=', h('code', null, location.origin), ':'),
    h('pre', { class: 'code' }, h('code', null, code)),
    h('p', { class: 'muted' }, 'or ', h('code', null, `git clone ${location.origin}${webPath(v.ref)}`)));
}

async function renderAdaptersOfBase(p: Page, v: RepoView, box: HTMLElement): Promise<void> {
  const res = await getJson<{ total: number; items: SearchHit[] }>(
    `/api/quiver/models/${v.ref.ns}/${v.ref.name}/adapters?limit=20`, p.signal).catch(() => null);
  if (!res || res.total === 0) {
    return;
  }
  clear(box, h('section', { class: 'adapters-of-base', 'aria-labelledby': 'adapters-h' },
    h('h2', { id: 'adapters-h' }, `Adapters for this model (${res.total})`),
    h('ol', { class: 'results compact' }, res.items.map(hit => {
      const li = hitItem(hit);
      const pin = hit.baseRevision ?? hit.adapter?.baseRevision;
      li.append(h('p', { class: 'compat' }, !pin ? h('span', { class: 'warn' }, 'base revision not pinned')
        : v.info.sha.startsWith(pin) ? h('span', { class: 'ok-text' }, '✓ pinned to the current revision')
          : h('span', null, 'pinned to ', h('a', { href: treeUrl(v.ref, pin), class: 'mono' }, shortSha(pin)),
            ' (an earlier revision)')));
      return li;
    })),
    res.total > res.items.length ? h('p', null, h('a', { href: searchUrl({ base_model: v.info.id }) },
      `All ${res.total} adapters`)) : null));
}

export async function adaptersFollowing(p: Page, datasetId: string): Promise<SearchResult | null> {
  return getJson<SearchResult>(`/api/quiver/search?type=model&dataset=${encodeURIComponent(datasetId)}&limit=20`,
    p.signal).catch(() => null);
}
