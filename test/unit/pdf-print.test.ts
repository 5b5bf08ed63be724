import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decidePdfRequest, pdfEngine, printerFor, PRINT_OPTIONS } from '../../main/pdf-print';

const electronPrint = async () => new Uint8Array([37, 80, 68, 70]);

test('the app prints PDF reports with the injected printer; other formats and the CLI use none', () => {
  assert.equal(printerFor({ format: 'pdf' }, electronPrint), electronPrint);
  for (const format of ['html', 'csv', 'json'] as const)
    assert.equal(printerFor({ format }, electronPrint), undefined);
  // Nothing injected (CLI, e2e host): the writer worker falls back to a local Chromium.
  assert.equal(printerFor({ format: 'pdf' }, undefined), undefined);
  assert.equal(pdfEngine(electronPrint), 'electron printToPDF');
  assert.equal(pdfEngine(undefined), 'local Chromium');
});

test('print options: A4, backgrounds, no header or footer (it would print the temporary path)', () => {
  assert.equal(PRINT_OPTIONS.pageSize, 'A4');
  assert.equal(PRINT_OPTIONS.printBackground, true);
  assert.equal(PRINT_OPTIONS.displayHeaderFooter, false);
  assert.equal(PRINT_OPTIONS.landscape, false);
  for (const side of Object.values(PRINT_OPTIONS.margins))
    assert.ok(side > 0 && side < 1, 'margins in inches');
});

test('the print window loads its own page and data: URLs only', () => {
  const page = 'file:///tmp/funnelscope-pdf-abc/report.html';
  const allowed = new Set([page]);
  assert.deepEqual(decidePdfRequest(page, allowed), { action: 'allow' });
  assert.deepEqual(decidePdfRequest('data:image/png;base64,AAAA', allowed), { action: 'allow' });
  for (const url of [
    'https://fonts.example.com/a.woff2',
    'http://127.0.0.1:8080/x',
    'file:///etc/passwd',
    'file:///tmp/funnelscope-pdf-abc/other.html',
    'app://funnelscope/index.html',
    'ws://localhost/',
  ])
    assert.equal(decidePdfRequest(url, allowed).action, 'cancel', url);
  assert.equal(decidePdfRequest(page, new Set()).action, 'cancel', 'a finished print allows nothing');
});
