// Repository settings: visibility, gating and deletion. The server decides who may change them; this
// page only offers the form and shows its answer.

import { ApiError, request, sendJson } from './api';
import { clear, h } from './dom';
import { navigate, whoami, type Page } from './main';
import type { RepoView } from './repo';
import { repoId } from './routes';

export async function renderSettings(_p: Page, v: RepoView): Promise<void> {
  const me = await whoami();
  if (!me) {
    clear(v.body, h('p', null, h('a', { href: '/signin' }, 'Sign in'), ' to change this repository\'s settings.'));
    return;
  }
  const status = h('p', { role: 'status', class: 'form-status' });
  const visibility = h('select', { id: 'visibility', name: 'visibility' },
    h('option', { value: 'public', selected: !v.info.private }, 'Public — anyone can read it'),
    h('option', { value: 'private', selected: v.info.private }, 'Private — only you and your organization'));
  const gated = h('select', { id: 'gated', name: 'gated' },
    ['false', 'auto', 'manual'].map(g => h('option', { value: g, selected: String(v.info.gated) === g },
      g === 'false' ? 'Not gated' : `Gated (${g} approval)`)));
  const confirm = h('input', { id: 'confirm-delete', type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      await sendJson('PUT', `/api/${v.ref.type}s/${repoId(v.ref)}/settings`, {
        visibility: visibility.value, gated: gated.value === 'false' ? false : gated.value,
      });
      status.textContent = 'Saved.';
    } catch (err) {
      status.textContent = err instanceof ApiError ? `Not saved: ${err.message}` : String(err);
    }
  };
  const remove = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (confirm.value !== repoId(v.ref)) {
      status.textContent = `Type ${repoId(v.ref)} to confirm.`;
      return;
    }
    try {
      await request('/api/repos/delete', { method: 'DELETE', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: v.ref.name, organization: v.ref.ns, type: v.ref.type }) });
      navigate('/');
    } catch (err) {
      status.textContent = err instanceof ApiError ? `Not deleted: ${err.message}` : String(err);
    }
  };
  clear(v.body, h('div', { class: 'settings' },
    h('form', { class: 'stack', onsubmit: (e: Event) => void save(e) },
      h('h2', null, 'Visibility'),
      h('label', { for: 'visibility' }, 'Who can see this repository'), visibility,
      h('label', { for: 'gated' }, 'Access requests'), gated,
      h('button', { type: 'submit', class: 'button primary' }, 'Save settings')),
    h('form', { class: 'stack danger', onsubmit: (e: Event) => void remove(e) },
      h('h2', null, 'Delete this repository'),
      h('p', null, 'This removes every file, branch and tag. It cannot be undone.'),
      h('label', { for: 'confirm-delete' }, `Type ${repoId(v.ref)} to confirm`), confirm,
      h('button', { type: 'submit', class: 'button danger' }, 'Delete')),
    status));
}
