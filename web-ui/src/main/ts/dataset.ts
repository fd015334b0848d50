// A dataset's first rows as a table, read from its JSON Lines, JSON or CSV files, with row counts
// (exact when the file is small enough to read whole, estimated from its start otherwise), and the
// adapters whose cards say they were trained on it.

import { fetchRange } from './api';
import { adaptersFollowing } from './card';
import { clear, h } from './dom';
import { bytes, count } from './format';
import type { Page } from './main';
import type { RepoView } from './repo';
import { blobUrl, resolveUrl, searchUrl } from './routes';
import { hitItem } from './search';

const WHOLE_FILE_LIMIT = 4_000_000;
const HEAD_BYTES = 256 * 1024;
const ROWS_SHOWN = 20;
const CELL_CHARS = 300;
const DATA_FILE = /\.(jsonl|ndjson|json|csv|tsv)$/i;

export interface Preview {
  columns: string[];
  rows: Record<string, unknown>[];
  /** Rows in the whole file: exact when `complete`, else an estimate. */
  rowCount: number;
  complete: boolean;
}

export async function renderDatasetPreview(p: Page, v: RepoView, box: HTMLElement): Promise<void> {
  const files = v.info.siblings.filter(s => DATA_FILE.test(s.rfilename) && !/(^|\/)\./.test(s.rfilename))
    .sort((a, b) => rank(a.rfilename) - rank(b.rfilename) || a.rfilename.localeCompare(b.rfilename));
  const preview = h('div', { class: 'preview' });
  const following = h('div', { class: 'following' });
  clear(box, h('section', { class: 'dataset-preview', 'aria-labelledby': 'preview-h' },
    h('h2', { id: 'preview-h' }, 'Dataset preview'),
    files.length > 1 ? h('p', null, h('label', { for: 'preview-file' }, 'File '),
      h('select', { id: 'preview-file', onchange: (e: Event) => void show((e.target as HTMLSelectElement).value) },
        files.map(f => h('option', { value: f.rfilename }, f.rfilename)))) : null,
    preview), following);
  const show = async (path: string): Promise<void> => {
    const size = files.find(f => f.rfilename === path)?.size ?? 0;
    clear(preview, h('p', { class: 'muted' }, `Reading ${path}…`));
    try {
      const whole = size > 0 && size <= WHOLE_FILE_LIMIT;
      const got = await fetchRange(resolveUrl(v.ref, v.info.sha, path), 0, whole ? size : HEAD_BYTES, p.signal);
      const total = got.total ?? size;
      const text = new TextDecoder().decode(got.bytes);
      const result = parse(path, text, got.bytes.length >= total, total);
      clear(preview, previewTable(path, result, total, blobUrl(v.ref, v.rev, path)));
    } catch (e) {
      clear(preview, h('p', { role: 'alert' }, `Cannot preview ${path}: ${e instanceof Error ? e.message : e}`));
    }
  };
  const work: Promise<void>[] = [showFollowing(p, v.info.id, following)];
  if (files.length === 0) {
    clear(preview, h('p', { class: 'muted' }, 'No JSON Lines, JSON or CSV files to preview.'));
  } else {
    work.push(show(files[0]!.rfilename));
  }
  await Promise.all(work);
}

/** Which file to preview first: a training split before others, line-oriented formats before the rest. */
function rank(path: string): number {
  const p = path.toLowerCase();
  return (/(^|[/_.-])train/.test(p) ? 0 : 10) + (/\.(jsonl|ndjson)$/.test(p) ? 0 : /\.(csv|tsv)$/.test(p) ? 1 : 2);
}

async function showFollowing(p: Page, id: string, box: HTMLElement): Promise<void> {
  const res = await adaptersFollowing(p, id);
  clear(box, h('section', { class: 'adapters-following', 'aria-labelledby': 'following-h' },
    h('h2', { id: 'following-h' }, `Adapters trained on this dataset (${res?.total ?? 0})`),
    res && res.total > 0 ? h('ol', { class: 'results compact' }, res.items.map(hitItem))
      : h('p', { class: 'muted' }, 'No adapter names this dataset in its card yet.'),
    res && res.total > res.items.length ? h('a', { href: searchUrl({ dataset: id, type: 'model' }) }, 'All of them')
      : null));
}

function previewTable(path: string, r: Preview, size: number, href: string): HTMLElement {
  const shown = r.rows.slice(0, ROWS_SHOWN);
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `Preview of ${path}` },
    h('table', { class: 'data-table' },
      h('caption', null, h('a', { href }, path), ' — ',
        r.complete ? `${r.rowCount.toLocaleString('en')} rows` : `about ${count(r.rowCount)} rows (estimated)`,
        `, ${bytes(size)}; first ${shown.length} shown`),
      h('thead', null, h('tr', null, r.columns.map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', null, shown.map(row => h('tr', null, r.columns.map(c => h('td', null, cell(row[c]))))))));
}

function cell(v: unknown): string {
  const s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > CELL_CHARS ? s.slice(0, CELL_CHARS) + '…' : s;
}

/** Parses the start (or all) of a data file. `complete` says the text is the whole file. */
export function parse(path: string, text: string, complete: boolean, totalBytes: number): Preview {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) {
    return fromTable(csv(text, lower.endsWith('.tsv') ? '\t' : ',', complete), complete, totalBytes);
  }
  if (lower.endsWith('.json')) {
    if (!complete) {
      throw new Error(`the file is ${bytes(totalBytes)}; a JSON preview needs it whole (at most ${bytes(WHOLE_FILE_LIMIT)})`);
    }
    const value: unknown = JSON.parse(text);
    const rows = Array.isArray(value) ? value : firstList(value);
    return withColumns(rows.map(asRow), rows.length, true);
  }
  const lines = text.split('\n');
  if (!complete) {
    lines.pop(); // the last line may be cut off
  }
  const rows = lines.filter(l => l.trim() !== '').map(l => asRow(JSON.parse(l)));
  const used = lines.reduce((n, l) => n + l.length + 1, 0);
  return withColumns(rows, complete ? rows.length : estimate(rows.length, used, totalBytes), complete);
}

function estimate(rows: number, usedBytes: number, totalBytes: number): number {
  return usedBytes > 0 ? Math.round((rows * totalBytes) / usedBytes) : rows;
}

function firstList(value: unknown): unknown[] {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) {
      if (Array.isArray(v)) {
        return v;
      }
    }
  }
  return [value];
}

function asRow(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : { value: v };
}

function withColumns(rows: Record<string, unknown>[], rowCount: number, complete: boolean): Preview {
  const columns: string[] = [];
  for (const row of rows.slice(0, ROWS_SHOWN)) {
    for (const k of Object.keys(row)) {
      if (!columns.includes(k)) {
        columns.push(k);
      }
    }
  }
  return { columns, rows, rowCount, complete };
}

function fromTable(t: { rows: string[][]; usedChars: number }, complete: boolean, totalBytes: number): Preview {
  const [head = [], ...body] = t.rows;
  const columns = head.map((c, i) => c || `column ${i + 1}`);
  const rows = body.map(r => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? ''])));
  const rowCount = complete ? rows.length : estimate(rows.length, t.usedChars, totalBytes);
  return { columns, rows, rowCount, complete };
}

/** RFC 4180 records (quoted fields may hold separators, quotes and newlines). Drops a cut-off last record. */
export function csv(text: string, sep: string, complete: boolean): { rows: string[][]; usedChars: number } {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let lastEnd = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === sep) { row.push(field); field = ''; i++; continue; }
    if (c === '\n' || c === '\r') {
      row.push(field); field = '';
      rows.push(row); row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      lastEnd = i;
      continue;
    }
    field += c; i++;
  }
  if (complete && (field !== '' || row.length > 0)) {
    row.push(field);
    rows.push(row);
    lastEnd = text.length;
  }
  return { rows: rows.filter(r => !(r.length === 1 && r[0] === '')), usedChars: lastEnd };
}
