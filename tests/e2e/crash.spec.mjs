// The crash panel: when the program stops (a panic ends in a WebAssembly trap) or cannot start,
// the page says so in an alertdialog with a way out, instead of leaving a dead UI.
// These tests expect the errors they cause, so they use Playwright's plain `test`, not the
// shared one that fails on any console error.
import { test, expect } from '@playwright/test';
import { openPlayground } from './fixtures.mjs';

// A whole WebAssembly module whose one export, f, executes `unreachable`: the same trap a panic
// ends in (after the panic hook has run).
const TRAPPING_MODULE = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // types: () -> ()
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f"
  0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b, // body: unreachable, end
];

/** Traps in a task of its own, so the RuntimeError is uncaught, as a trap in the app's code is. */
async function trap(page, panicMessage) {
  await page.evaluate(([bytes, message]) => {
    if (message) window.edaPanicMessage = message;
    const module = new WebAssembly.Module(new Uint8Array(bytes));
    setTimeout(() => new WebAssembly.Instance(module).exports.f());
  }, [TRAPPING_MODULE, panicMessage]);
}

function collectErrors(page) {
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('a trap after the start shows the crash panel, and reloading brings the playground back', async ({ page }) => {
  const errors = collectErrors(page);
  await openPlayground(page);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await trap(page, null);
  const panel = page.getByRole('alertdialog', { name: 'The playground crashed' });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('An internal error stopped the simulation');
  await expect(panel.locator('pre')).toContainText('unreachable');
  const reload = panel.getByRole('button', { name: 'Reload the page' });
  await expect(reload).toBeFocused();
  expect(errors.some((text) => text.includes('EDA Playground stopped'))).toBe(true);
  // A second error does not stack a second panel.
  await trap(page, null);
  await expect(page.getByRole('alertdialog')).toHaveCount(1);
  await reload.click();
  await expect(page.getByRole('heading', { name: 'EDA Playground' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Step', exact: true })).toBeEnabled();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
});

test('a panic message left by the panic hook is what the crash panel shows', async ({ page }) => {
  await openPlayground(page);
  await trap(page, 'index out of bounds: the len is 0 but the index is 3');
  const panel = page.getByRole('alertdialog', { name: 'The playground crashed' });
  await expect(panel.locator('pre')).toHaveText('index out of bounds: the len is 0 but the index is 3');
});

test('a real panic in the served release build shows its message and its place in the source', async ({ page }) => {
  await openPlayground(page);
  await page.evaluate(() => setTimeout(() => window.wasmBindings.edaPanicForTests('a deliberate panic for this test')));
  const panel = page.getByRole('alertdialog', { name: 'The playground crashed' });
  await expect(panel).toBeVisible();
  // The panic hook's text: the message and the file it was raised in, not just "unreachable".
  await expect(panel.locator('pre')).toContainText('a deliberate panic for this test');
  await expect(panel.locator('pre')).toContainText('src/lib.rs');
  await expect(panel.getByRole('button', { name: 'Reload the page' })).toBeFocused();
});

test('a damaged download says the playground could not start', async ({ page }) => {
  await page.route('**/*.wasm', (route) =>
    route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('not a wasm module') }));
  await page.goto('/');
  const panel = page.getByRole('alertdialog', { name: 'The playground could not start' });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('This browser could not run the simulator');
  await expect(panel.getByRole('button', { name: 'Reload the page' })).toBeFocused();
  // A harmless script error after a successful start is not a crash.
  await page.unroute('**/*.wasm');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Step', exact: true })).toBeEnabled();
  const reported = page.waitForEvent('pageerror');
  await page.evaluate(() => setTimeout(() => { throw new TypeError('an unrelated script error'); }));
  expect((await reported).message).toContain('an unrelated script error');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
});
