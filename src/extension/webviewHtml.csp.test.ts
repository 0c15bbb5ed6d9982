import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviewHtml, contentSecurityPolicy, createNonce } from './webviewHtml';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

function htmlFor(nonce = createNonce()) {
  return buildWebviewHtml({
    panel: 'dashboard',
    title: 'SeqLab: Training Dashboard',
    cspSource,
    nonce,
    scriptUri: `${cspSource}/ext/dist/webview/dashboard.js`,
    styleUris: [`${cspSource}/ext/media/webview/common.css`],
  });
}

function policyOf(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(content, 'no CSP meta tag');
  const unescaped = content.replace(/&#39;/g, "'");
  return new Map(unescaped.split(';').map((directive) => {
    const [name, ...sources] = directive.trim().split(/\s+/);
    return [name, sources];
  }));
}

test('nonces are 128-bit, base64 and different every time', () => {
  const nonces = new Set(Array.from({ length: 200 }, createNonce));
  assert.equal(nonces.size, 200);
  for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
});

test('the policy denies everything by default and allows only the webview origin and the nonce', () => {
  const nonce = createNonce();
  const policy = policyOf(htmlFor(nonce));
  assert.deepEqual(policy.get('default-src'), ["'none'"]);
  assert.deepEqual(policy.get('script-src'), [`'nonce-${nonce}'`]);
  assert.deepEqual(policy.get('style-src'), [cspSource, `'nonce-${nonce}'`]);
  assert.deepEqual(policy.get('img-src'), [cspSource, 'data:']);
  assert.deepEqual(policy.get('font-src'), [cspSource]);
  const allSources = [...policy.values()].flat();
  for (const forbidden of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:']) assert.ok(!allSources.includes(forbidden), forbidden);
});

test('every script and stylesheet carries the nonce, and there is no inline script', () => {
  const nonce = createNonce();
  const html = htmlFor(nonce);
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0][1], new RegExp(`nonce="${nonce.replace(/[+/]/g, '\\$&')}"`));
  assert.match(scripts[0][1], /src="[^"]+\/dist\/webview\/dashboard\.js"/);
  assert.equal(scripts[0][2].trim(), '');
  const links = [...html.matchAll(/<link ([^>]*)>/g)];
  assert.equal(links.length, 1);
  assert.ok(links[0][1].includes(`nonce="${nonce}"`));
  assert.ok(!/ on[a-z]+=/i.test(html), 'inline event handler found');
  assert.ok(!/<style/.test(html), 'inline style element found');
});

test('the policy string matches the documented form exactly', () => {
  assert.equal(
    contentSecurityPolicy('vscode-webview://x', 'N'),
    "default-src 'none'; img-src vscode-webview://x data:; style-src vscode-webview://x 'nonce-N'; script-src 'nonce-N'; font-src vscode-webview://x",
  );
});

test('titles and URIs are HTML-escaped so they cannot break out of attributes', () => {
  const html = buildWebviewHtml({ panel: 'gates', title: '<img src=x onerror=alert(1)>', cspSource, nonce: 'n', scriptUri: 'a"b', styleUris: [] });
  assert.ok(!html.includes('<img src=x'));
  assert.ok(html.includes('a&#34;b'));
});
