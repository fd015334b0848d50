// A tiny element builder. Text always goes in as text nodes: nothing here parses HTML, so data from
// the API (card metadata, file names, commit messages) can never become markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type AttrValue = string | number | boolean | null | undefined | ((e: Event) => void);
export type Attrs = Record<string, AttrValue>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (typeof value === 'function') {
        el.addEventListener(key.replace(/^on/, ''), value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(parent, c);
    } else if (c instanceof Node) {
      parent.appendChild(c);
    } else {
      parent.appendChild(document.createTextNode(String(c)));
    }
  }
}

export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** An http(s) or site-relative URL, for links whose target comes from repository data; else undefined. */
export function safeHref(url: unknown): string | undefined {
  if (typeof url !== 'string') {
    return undefined;
  }
  const u = url.trim();
  if (u.startsWith('/') && !u.startsWith('//')) {
    return u;
  }
  try {
    const parsed = new URL(u);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A search snippet: the server escapes card text and marks matches with <mark>. Rather than trusting
 * that as HTML, split on the two tags, unescape the rest and build text nodes and <mark> elements.
 */
export function snippet(marked: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  const parts = marked.split(/(<mark>|<\/mark>)/);
  let inMark = false;
  for (const part of parts) {
    if (part === '<mark>') { inMark = true; continue; }
    if (part === '</mark>') { inMark = false; continue; }
    const text = unescapeHtml(part);
    frag.append(inMark ? h('mark', null, text) : document.createTextNode(text));
  }
  return frag;
}

function unescapeHtml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|#39|#x27|#34);/g, (_, e: string) =>
    ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", '#x27': "'", '#34': '"' } as Record<string, string>)[e] ?? '');
}
