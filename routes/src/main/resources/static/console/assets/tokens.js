// Tokens (admin only): create a named token with a role, see every token, revoke one
// (POST/GET /api/v1/tokens, DELETE /api/v1/tokens/{name}).
import { api, el, field, fill, say, sayError, select, t, table, when } from './console.js';

const ROLES = ['it', 'steward', 'auditor', 'system', 'admin'];
const form = document.getElementById('new-token');
const created = document.getElementById('created');
const list = document.getElementById('tokens');

const name = el('input', { name: 'name', required: true, pattern: '[a-z0-9][a-z0-9._\\-]{1,63}', size: 20, spellcheck: 'false' });
const role = select(ROLES.map((r) => ({ value: r, label: r + ' · ' + t('role.' + r) })), 'steward', { name: 'role' });
const system = el('input', { name: 'system', size: 16, spellcheck: 'false' });
const expires = el('input', { name: 'expires', type: 'date' });
fill(
  form,
  field(t('tokens.name'), name),
  field(t('tokens.role'), role),
  field(t('tokens.system'), system),
  field(t('tokens.expires'), expires),
  el('div', { class: 'field' }, el('button', { type: 'submit', id: 'create-token' }, t('tokens.create')))
);

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const request = { name: name.value.trim(), role: role.value };
  if (system.value.trim()) {
    request.system = system.value.trim();
  }
  if (expires.value) {
    request.expiresAt = new Date(expires.value + 'T00:00:00').toISOString();
  }
  try {
    const token = await api('/tokens', { method: 'POST', json: request });
    const secret = el('input', { id: 'new-secret', readonly: true, value: token.token, size: 54, spellcheck: 'false' });
    fill(created, el('p', { class: 'ok' }, t('tokens.created', { name: token.name })), field(t('tokens.secret'), secret));
    secret.select();
    form.reset();
    load();
  } catch (x) {
    sayError(x);
  }
});

async function load() {
  try {
    const tokens = (await api('/tokens')).items;
    const now = Date.now();
    fill(
      list,
      table(
        [
          { label: t('tokens.name'), value: (k) => k.name },
          { label: t('tokens.role'), value: (k) => t('role.' + k.role) + (k.system ? ' · ' + k.system : '') },
          { label: t('tokens.createdAt'), value: (k) => when(k.createdAt) },
          { label: t('tokens.createdBy'), value: (k) => k.createdBy },
          { label: t('tokens.expires'), value: (k) => when(k.expiresAt) },
          { label: t('tokens.lastUsed'), value: (k) => when(k.lastUsedAt) },
          {
            label: t('tokens.state'),
            value: (k) =>
              k.revokedAt
                ? el('span', { class: 'badge bad' }, t('tokens.state.revoked', { at: when(k.revokedAt) }))
                : k.expiresAt && Date.parse(k.expiresAt) <= now
                  ? el('span', { class: 'badge' }, t('tokens.state.expired'))
                  : el('span', { class: 'badge good' }, t('tokens.state.active')),
          },
          {
            label: t('common.actions'),
            value: (k) =>
              k.revokedAt
                ? ''
                : el('button', { type: 'button', class: 'danger', 'aria-label': t('tokens.revoke') + ' ' + k.name, onclick: () => revoke(k.name) }, t('tokens.revoke')),
          },
        ],
        tokens,
        t('tokens.list')
      )
    );
  } catch (x) {
    sayError(x);
  }
}

async function revoke(tokenName) {
  if (!window.confirm(t('tokens.revoke.confirm', { name: tokenName }))) {
    return;
  }
  try {
    await api('/tokens/' + encodeURIComponent(tokenName), { method: 'DELETE' });
    say(t('tokens.revoked', { name: tokenName }));
    load();
  } catch (x) {
    sayError(x);
  }
}

load();
