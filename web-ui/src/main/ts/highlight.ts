// Light syntax colouring for the file viewer: a single-pass tokenizer per language family that
// wraps tokens in <span class="tok-..."> built as elements (the text itself is never parsed as HTML).

type Rule = [RegExp, string];

const COMMON: Rule[] = [
  [/^"(?:[^"\\\n]|\\.)*"?/, 'str'],
  [/^'(?:[^'\\\n]|\\.)*'?/, 'str'],
  [/^-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b/, 'num'],
];
const LANGS: Record<string, Rule[]> = {
  json: [[/^"(?:[^"\\\n]|\\.)*"(?=\s*:)/, 'key'], ...COMMON, [/^\b(?:true|false|null)\b/, 'kw']],
  yaml: [[/^#.*/, 'com'], [/^[\w.-]+(?=\s*:(\s|$))/, 'key'], ...COMMON, [/^\b(?:true|false|null|yes|no)\b/, 'kw']],
  python: [[/^#.*/, 'com'], [/^(?:"""[\s\S]*?"""|'''[\s\S]*?''')/, 'str'], ...COMMON,
    [/^\b(?:def|class|import|from|as|return|if|elif|else|for|while|in|not|and|or|with|try|except|finally|raise|None|True|False|lambda|yield|pass|break|continue)\b/, 'kw']],
  shell: [[/^#.*/, 'com'], ...COMMON, [/^\$\{?\w+\}?/, 'key']],
  markdown: [[/^#{1,6} .*/, 'key'], [/^`[^`\n]*`/, 'str'], [/^\[[^\]\n]*\]\([^)\n]*\)/, 'kw']],
  toml: [[/^#.*/, 'com'], [/^\[[^\]\n]*\]/, 'kw'], [/^[\w.-]+(?=\s*=)/, 'key'], ...COMMON],
};
const BY_EXT: Record<string, string> = {
  json: 'json', jsonl: 'json', ndjson: 'json', yaml: 'yaml', yml: 'yaml', py: 'python', sh: 'shell',
  bash: 'shell', md: 'markdown', toml: 'toml', cfg: 'toml', ini: 'toml', gitattributes: 'shell',
};

export function languageOf(path: string): string | null {
  const name = path.split('/').pop() ?? '';
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : name.toLowerCase();
  return BY_EXT[ext] ?? null;
}

const STICKY = new Map<string, [RegExp, string][]>();

function sticky(lang: string): [RegExp, string][] | undefined {
  const rules = LANGS[lang];
  if (!rules) {
    return undefined;
  }
  let compiled = STICKY.get(lang);
  if (!compiled) {
    compiled = rules.map(([re, cls]) => [new RegExp(re.source.replace(/^\^/, ''), 'y'), cls]);
    STICKY.set(lang, compiled);
  }
  return compiled;
}

/** `text` coloured as `lang` (plain text when unknown); at most `limit` characters are tokenized. */
export function highlight(text: string, lang: string | null, limit = 200_000): DocumentFragment {
  const frag = document.createDocumentFragment();
  const rules = lang ? sticky(lang) : undefined;
  if (!rules || text.length > limit) {
    frag.append(text);
    return frag;
  }
  let plain = '';
  let i = 0;
  while (i < text.length) {
    let matched = false;
    // tokens start only at a word boundary; markdown headings only at the start of a line
    const prev = i > 0 ? text[i - 1]! : '\n';
    if (!/\w/.test(prev) || !/\w/.test(text[i]!)) {
      for (const [re, cls] of rules) {
        if (cls === 'key' && lang === 'markdown' && prev !== '\n') {
          continue;
        }
        re.lastIndex = i;
        const m = re.exec(text);
        if (m && m[0].length > 0) {
          if (plain) { frag.append(plain); plain = ''; }
          const span = document.createElement('span');
          span.className = `tok-${cls}`;
          span.textContent = m[0];
          frag.append(span);
          i += m[0].length;
          matched = true;
          break;
        }
      }
    }
    if (!matched) {
      plain += text[i];
      i++;
    }
  }
  if (plain) {
    frag.append(plain);
  }
  return frag;
}
