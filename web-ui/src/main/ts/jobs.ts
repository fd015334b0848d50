// Training runs: the jobs of a repository or an owner, and one job with its status, live logs and
// loss / learning-rate curves that grow while it trains (server-sent events read with fetch, so a
// token sign-in's Bearer header goes along), its result commit, and cancel / retrain.

import { ApiError, authHeaders, getJson, sendJson } from './api';
import { clear, h } from './dom';
import { ago, date, shortSha } from './format';
import { navigate, type Page } from './main';
import type { RepoView } from './repo';
import { commitUrl, refOf, webPath } from './routes';

interface Job {
  id: string;
  status: { stage: string; message: string | null };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  owner: { name: string };
  attempts: number;
  quiver: { kind: string; repo: string; status: string; message: string | null; runner: string | null;
    resultCommit: string | null; spec: unknown };
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'COMPLETED', 'ERROR', 'CANCELED']);

function statusBadge(job: Job): HTMLElement {
  const s = job.quiver.status;
  const cls = s === 'succeeded' ? 'ok' : s === 'failed' ? 'bad' : s === 'running' ? 'live' : '';
  return h('span', { class: `badge ${cls}`, 'data-status': s }, s);
}

function jobTable(jobs: Job[], withRepo: boolean): HTMLElement {
  if (jobs.length === 0) {
    return h('p', { class: 'muted' }, 'No training or verification jobs yet.');
  }
  return h('div', { class: 'table-scroll' }, h('table', { class: 'small-table jobs' },
    h('thead', null, h('tr', null, ['Job', withRepo ? 'Repository' : null, 'Kind', 'Status', 'Runner', 'Created']
      .filter((c): c is string => c !== null).map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', null, jobs.map(j => {
      const repo = refOf('model', j.quiver.repo);
      return h('tr', null,
        h('td', null, h('a', { href: `/jobs/${encodeURIComponent(j.owner.name)}/${encodeURIComponent(j.id)}`,
          class: 'mono' }, j.id.slice(0, 12))),
        withRepo ? h('td', null, repo ? h('a', { href: webPath(repo) }, j.quiver.repo) : j.quiver.repo) : null,
        h('td', null, j.quiver.kind), h('td', null, statusBadge(j)), h('td', null, j.quiver.runner ?? '—'),
        h('td', null, h('time', { datetime: j.createdAt, title: date(j.createdAt) }, ago(j.createdAt))));
    }))));
}

export async function renderRepoJobs(p: Page, v: RepoView): Promise<void> {
  const jobs = await getJson<Job[]>(`/api/models/${v.ref.ns}/${v.ref.name}/jobs`, p.signal).catch(e => {
    if (e instanceof ApiError) {
      return [] as Job[];
    }
    throw e;
  });
  const status = h('p', { role: 'status' });
  clear(v.body, h('div', { class: 'files-head' }, h('h2', null, 'Training and verification'),
    h('button', { type: 'button', class: 'button small', onclick: async () => {
      try {
        const job = await sendJson<Job>('POST', '/api/quiver/train', { repo: v.info.id });
        navigate(`/jobs/${encodeURIComponent(job.owner.name)}/${encodeURIComponent(job.id)}`);
      } catch (e) {
        status.textContent = e instanceof Error ? e.message : String(e);
      }
    } }, 'Retrain now')), status, jobTable(jobs, false));
}

export async function renderJobs(p: Page, ns: string): Promise<void> {
  p.title(`Jobs of ${ns}`);
  const jobs = await getJson<Job[]>(`/api/jobs/${encodeURIComponent(ns)}`, p.signal);
  const runners = [...new Set(jobs.map(j => j.quiver.runner).filter((r): r is string => !!r))];
  const params = new URLSearchParams(location.search);
  const runner = params.get('runner');
  clear(p.main, h('h1', null, `Jobs of ${ns}`),
    runners.length ? h('p', { class: 'runner-filter' }, 'Runner: ',
      h('a', { href: `/jobs/${encodeURIComponent(ns)}`, 'aria-current': runner ? null : 'page' }, 'all'),
      runners.map(r => [' · ', h('a', { href: `/jobs/${encodeURIComponent(ns)}?runner=${encodeURIComponent(r)}`,
        'aria-current': runner === r ? 'page' : null }, r)])) : null,
    jobTable(runner ? jobs.filter(j => j.quiver.runner === runner) : jobs, true));
}

interface Point { step: number; loss?: number; lr?: number; evalLoss?: number; tokensPerSecond?: number }

export async function renderJob(p: Page, ns: string, id: string): Promise<void> {
  const base = `/api/jobs/${encodeURIComponent(ns)}/${encodeURIComponent(id)}`;
  let job = await getJson<Job>(base, p.signal);
  p.title(`Job ${id.slice(0, 12)}`);
  const head = h('div', { class: 'job-head' });
  const logs = h('pre', { class: 'logs', tabindex: '0', 'aria-label': 'Logs', 'aria-live': 'off' });
  const lossChart = h('figure', { class: 'chart' });
  const lrChart = h('figure', { class: 'chart' });
  const evals = h('div', { class: 'evals' });
  clear(p.main, h('h1', null, `Job `, h('span', { class: 'mono' }, id.slice(0, 12))), head,
    h('div', { class: 'charts' }, lossChart, lrChart), evals,
    h('h2', null, 'Logs'), logs);
  const points: Point[] = [];
  // a running job is cancelled by its runner, which hears of the request at its next heartbeat
  let cancelAsked = false;
  const drawHead = (): void => {
    const repo = refOf('model', job.quiver.repo);
    clear(head, h('dl', { class: 'inline-dl' },
      h('dt', null, 'Status'), h('dd', null, statusBadge(job), job.quiver.message ? ` ${job.quiver.message}` : ''),
      h('dt', null, 'Repository'), h('dd', null, repo ? h('a', { href: webPath(repo) }, job.quiver.repo) : job.quiver.repo),
      h('dt', null, 'Kind'), h('dd', null, job.quiver.kind),
      h('dt', null, 'Runner'), h('dd', null, job.quiver.runner ?? '—'),
      h('dt', null, 'Created'), h('dd', null, date(job.createdAt)),
      job.finishedAt ? [h('dt', null, 'Finished'), h('dd', null, date(job.finishedAt))] : null,
      job.quiver.resultCommit && repo ? [h('dt', null, 'Result'), h('dd', null,
        h('a', { href: commitUrl(repo, job.quiver.resultCommit), class: 'mono' }, shortSha(job.quiver.resultCommit)))]
        : null),
    h('p', { class: 'actions' },
      !FINAL.has(job.quiver.status) && cancelAsked
        ? h('span', { class: 'muted', role: 'status' }, 'Cancel requested: the runner stops at its next heartbeat.') : null,
      !FINAL.has(job.quiver.status) && !cancelAsked ? h('button', { type: 'button', class: 'button small danger',
        onclick: async () => {
          job = await sendJson<Job>('POST', `${base}/cancel`, {});
          cancelAsked = true;
          drawHead();
        } }, 'Cancel') : null,
      FINAL.has(job.quiver.status) && job.quiver.kind === 'train' ? h('button', { type: 'button', class: 'button small',
        onclick: async () => {
          const again = await sendJson<Job>('POST', '/api/quiver/train', { repo: job.quiver.repo });
          navigate(`/jobs/${encodeURIComponent(again.owner.name)}/${encodeURIComponent(again.id)}`);
        } }, 'Retry') : null));
  };
  const redraw = (): void => {
    clear(lossChart, chart('Loss', points.map(pt => [pt.step, pt.loss]), points.map(pt => [pt.step, pt.evalLoss])));
    clear(lrChart, chart('Learning rate', points.map(pt => [pt.step, pt.lr]), []));
    const evalPoints = points.filter(pt => pt.evalLoss !== undefined);
    const speed = [...points].reverse().find(pt => pt.tokensPerSecond !== undefined);
    clear(evals, evalPoints.length ? h('p', { class: 'eval-line' }, 'Eval loss: ', evalPoints.map((pt, i) =>
      `${i ? ' → ' : ''}${pt.evalLoss!.toFixed(4)}${pt.step ? ` (step ${pt.step})` : ' (base)'}`)) : null,
    speed ? h('p', { class: 'muted' }, `${Math.round(speed.tokensPerSecond!)} tokens/s`) : null);
  };
  drawHead();
  redraw();
  const streams = [
    events(`${base}/metrics`, p.signal, data => {
      const pt = metricPoint(data, points.length ? points[points.length - 1]!.step : 0);
      if (pt) {
        points.push(pt);
        redraw();
      }
    }),
    events(`${base}/logs`, p.signal, data => {
      let line = data;
      try {
        line = (JSON.parse(data) as { data?: string }).data ?? data;
      } catch {
        // plain text
      }
      const atEnd = logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 4;
      logs.append(line.endsWith('\n') ? line : line + '\n');
      if (atEnd) {
        logs.scrollTop = logs.scrollHeight;
      }
    }),
    events(`${base}/events`, p.signal, () => {
      void getJson<Job>(base, p.signal).then(j => { job = j; drawHead(); });
    }),
  ];
  await Promise.allSettled(streams);
}

/** A metrics entry: a JSON object with a step and any of loss, learning rate and eval loss. */
export function metricPoint(data: string, lastStep: number): Point | null {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return null;
  }
  const num = (...keys: string[]): number | undefined => {
    for (const k of keys) {
      const v = m[k];
      if (typeof v === 'number' && Number.isFinite(v)) {
        return v;
      }
    }
    return undefined;
  };
  // an evaluation at the end of an epoch carries no step: it belongs to the last step seen
  const step = num('step', 'global_step') ?? (num('eval_loss', 'evalLoss') !== undefined ? lastStep : undefined);
  if (step === undefined) {
    return null;
  }
  const pt: Point = { step };
  const tps = num('tokens_per_second');
  if (tps !== undefined) pt.tokensPerSecond = tps;
  const loss = num('loss', 'train_loss');
  const lr = num('learning_rate', 'lr', 'learningRate');
  const evalLoss = num('eval_loss', 'evalLoss');
  if (loss !== undefined) pt.loss = loss;
  if (lr !== undefined) pt.lr = lr;
  if (evalLoss !== undefined) pt.evalLoss = evalLoss;
  return pt;
}

/** Reads a server-sent event stream until it ends or the page changes. */
async function events(url: string, signal: AbortSignal, onData: (data: string) => void): Promise<void> {
  const res = await fetch(url, { headers: authHeaders({ Accept: 'text/event-stream' }), signal });
  if (!res.ok || !res.body) {
    return;
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) {
        onData(data);
      }
    }
  }
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    el.setAttribute(k, String(v));
  }
  return el;
}

/** A line chart of one or two series as SVG, with the latest value in its caption. */
function chart(title: string, main: [number, number | undefined][], second: [number, number | undefined][]): Node[] {
  const a = main.filter((x): x is [number, number] => x[1] !== undefined);
  const b = second.filter((x): x is [number, number] => x[1] !== undefined);
  const all = [...a, ...b];
  const caption = h('figcaption', null, title, a.length ? ` — ${formatValue(a[a.length - 1]![1])} at step `
    + a[a.length - 1]![0] : ' — waiting for data', b.length ? ' (dots: eval loss)' : '');
  const W = 480;
  const H = 180;
  const L = 64; // room for the value labels
  const B = 28; // room for the step labels
  const box = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title} by step` });
  if (all.length > 0) {
    const xs = all.map(p => p[0]);
    const ys = all.map(p => p[1]);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    const sx = (x: number) => L + ((x - x0) / (x1 - x0 || 1)) * (W - L - 8);
    const sy = (y: number) => H - B - ((y - y0) / (y1 - y0 || 1)) * (H - B - 8);
    box.append(svg('line', { x1: L, y1: H - B, x2: W - 8, y2: H - B, class: 'axis' }),
      svg('line', { x1: L, y1: 8, x2: L, y2: H - B, class: 'axis' }));
    const label = (text: string, x: number, y: number, anchor: string) => {
      const t = svg('text', { x, y, 'text-anchor': anchor, class: 'tick' });
      t.textContent = text;
      box.append(t);
    };
    label(formatValue(y1), L - 6, 14, 'end');
    label(formatValue(y0), L - 6, H - B, 'end');
    label(String(x0), L, H - 8, 'start');
    label(String(x1), W - 8, H - 8, 'end');
    for (const [series, cls] of [[a, 'series-a'], [b, 'series-b']] as const) {
      if (series.length > 0) {
        box.append(svg('polyline', { points: series.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' '),
          class: cls, fill: 'none' }));
      }
    }
    // evaluations are few (one per epoch): mark each so a single one still shows
    for (const [x, y] of b) {
      box.append(svg('circle', { cx: sx(x).toFixed(1), cy: sy(y).toFixed(1), r: 4, class: 'series-b-point' }));
    }
  }
  return [box, caption];
}

function formatValue(v: number): string {
  return Math.abs(v) < 0.01 && v !== 0 ? v.toExponential(2) : v.toFixed(4).replace(/\.?0+$/, '');
}
