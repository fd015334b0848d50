// A second line of defence for card HTML. The server already renders cards with raw HTML escaped and
// URLs filtered; this re-parses its output in an inert document and keeps only the elements and
// attributes Markdown produces, so a server bug still cannot put script, handlers or frames in a page.

const TAGS = new Set(['A', 'P', 'BR', 'HR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'UL', 'OL', 'LI', 'BLOCKQUOTE',
  'PRE', 'CODE', 'EM', 'STRONG', 'DEL', 'IMG', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD']);
const ATTRS: Record<string, Set<string>> = {
  A: new Set(['href', 'title', 'rel']),
  IMG: new Set(['src', 'alt', 'title', 'loading', 'referrerpolicy']),
  OL: new Set(['start']),
  CODE: new Set(['class']),
  TH: new Set(['align']),
  TD: new Set(['align']),
};

function safeUrl(value: string, image: boolean): boolean {
  const v = value.trim();
  if (v.startsWith('#') || (v.startsWith('/') && !v.startsWith('//'))) {
    return true;
  }
  try {
    const u = new URL(v, location.origin);
    return u.protocol === 'https:' || u.protocol === 'http:' || (!image && u.protocol === 'mailto:');
  } catch {
    return false;
  }
}

function clean(node: Node, into: Node): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      into.appendChild(document.createTextNode(child.textContent ?? ''));
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) {
      continue;
    }
    const el = child as Element;
    if (!TAGS.has(el.tagName)) {
      // unknown elements keep their text (never their markup); script and style keep nothing
      if (el.tagName !== 'SCRIPT' && el.tagName !== 'STYLE') {
        clean(el, into);
      }
      continue;
    }
    // the page's own h1 names the repository: card headings move one level down
    const heading = /^H([1-6])$/.exec(el.tagName);
    const copy = document.createElement(heading ? `h${Math.min(6, Number(heading[1]) + 1)}` : el.tagName.toLowerCase());
    const allowed = ATTRS[el.tagName] ?? new Set<string>();
    for (const attr of Array.from(el.attributes)) {
      if (!allowed.has(attr.name)) {
        continue;
      }
      if ((attr.name === 'href' || attr.name === 'src') && !safeUrl(attr.value, attr.name === 'src')) {
        continue;
      }
      if (attr.name === 'class' && !/^language-[\w+#.-]{1,40}$/.test(attr.value)) {
        continue;
      }
      copy.setAttribute(attr.name, attr.value);
    }
    if (copy.tagName === 'A' && /^https?:/i.test(copy.getAttribute('href') ?? '')) {
      copy.setAttribute('rel', 'nofollow noopener noreferrer');
    }
    clean(el, copy);
    into.appendChild(copy);
  }
}

/** Card HTML from the server as a fragment holding only Markdown's elements and safe URLs. */
export function sanitizeCard(html: string): DocumentFragment {
  const inert = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
  const out = document.createDocumentFragment();
  clean(inert.body, out);
  return out;
}
