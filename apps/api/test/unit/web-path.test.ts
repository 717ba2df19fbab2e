// Which files a request path may open: only files inside the web app's folder, found by the
// clean URLs that Next.js's export writes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { webPathCandidates } from '../../src/http/web-path.js';

const root = path.resolve('/srv/parley/out');

describe('a request path', () => {
  it('names index.html at the root, and page.html or page/index.html elsewhere', () => {
    assert.deepEqual(webPathCandidates(root, '/'), {
      ok: true,
      files: [path.join(root, 'index.html')],
    });
    assert.deepEqual(webPathCandidates(root, '/chat'), {
      ok: true,
      files: [
        path.join(root, 'chat'),
        path.join(root, 'chat.html'),
        path.join(root, 'chat', 'index.html'),
      ],
    });
    assert.deepEqual(webPathCandidates(root, '/chat/'), {
      ok: true,
      files: [path.join(root, 'chat', 'index.html'), path.join(root, 'chat.html')],
    });
  });

  it('is refused when, once decoded, it climbs out of the folder', () => {
    for (const attempt of ['/..%2fdata/pglite', '/a/..%2f..%2f..%2fetc/passwd', '/%2e%2e%2f']) {
      assert.deepEqual(webPathCandidates(root, attempt), { ok: false, refusal: 'outside-root' });
    }
  });

  it('stays inside when its dot segments end within the folder', () => {
    assert.deepEqual(webPathCandidates(root, '/icons/..%2fsw.js'), {
      ok: true,
      files: [
        path.join(root, 'sw.js'),
        path.join(root, 'sw.js.html'),
        path.join(root, 'sw.js', 'index.html'),
      ],
    });
  });

  it('is refused when it names a dot file, holds a NUL or a backslash, or is badly encoded', () => {
    assert.deepEqual(webPathCandidates(root, '/.git/config'), { ok: false, refusal: 'hidden' });
    for (const attempt of ['/a%00.html', '/..%5c..%5csecret', '/%E0%A4%A']) {
      assert.deepEqual(webPathCandidates(root, attempt), { ok: false, refusal: 'malformed' });
    }
  });
});
