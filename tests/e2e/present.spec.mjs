// Presentation mode as a teacher uses it: P (or the Present button) shows the diagram alone and
// larger, with the controls; a clicker's Page Down and Page Up step; Esc leaves.
import { test, expect, openPlayground } from './fixtures.mjs';

const clock = (page) => page.getByRole('status', { name: 'Virtual clock' });

test('presenting shows the diagram large with the controls, and a clicker steps through the run', async ({ page }, testInfo) => {
  // As in a browser that keeps presentation mode in the window (no full screen): the page's own
  // Escape handling is what is tested here; the browser's full screen has a test of its own.
  await page.addInitScript(() => { Element.prototype.requestFullscreen = () => Promise.reject(new Error('refused')); });
  await page.setViewportSize({ width: 1280, height: 720 });
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: 'Broker: queues — Work queue with retries and a dead-letter queue' });
  const diagram = page.locator('figure.diagram svg').first();
  const before = await diagram.boundingBox();
  await page.getByRole('button', { name: 'Present' }).click();
  await expect(page.locator('.app')).toHaveClass(/presenting/);
  await expect(page.getByRole('heading', { name: 'Event log' })).toBeHidden();
  await expect(page.locator('.masthead')).toBeHidden();
  const after = await diagram.boundingBox();
  expect(after.width).toBeGreaterThan(before.width * 1.05);
  await page.screenshot({ path: testInfo.outputPath('presenting.png') });

  // Page Down steps one event; the line under the controls says what happened.
  const processed = () => page.locator('.toolbar').textContent().then((t) => Number(t.match(/(\d+) events processed/)[1]));
  const start = await processed();
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  await expect.poll(processed).toBe(start + 2);
  await expect(page.locator('.presenting-now')).toContainText(/Work queue with retries and a dead-letter queue · \w/);
  await page.keyboard.press('PageUp');
  await expect.poll(processed).toBe(start + 1);

  // A clicker steps even when the timeline slider has the focus.
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('PageDown');
  await expect.poll(processed).toBe(start + 2);

  // With the shortcuts open, Escape closes them first; the next leaves.
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await expect(page.locator('.app')).toHaveClass(/presenting/);
  await page.keyboard.press('Escape');
  await expect(page.locator('.app')).not.toHaveClass(/presenting/);
  await expect(page.getByRole('heading', { name: 'Event log' })).toBeVisible();
  // P enters it too, and the button leaves it.
  await page.keyboard.press('p');
  await expect(page.locator('.app')).toHaveClass(/presenting/);
  await page.getByRole('button', { name: 'Exit presentation' }).click();
  await expect(page.locator('.app')).not.toHaveClass(/presenting/);
  await expect(clock(page)).toBeVisible();
});

test('leaving full screen the browser\'s way leaves presentation mode too', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Present' }).click();
  await expect(page.locator('.app')).toHaveClass(/presenting/);
  await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
  // The browser's own Escape (which the page never sees) ends full screen like this.
  await page.evaluate(() => document.exitFullscreen());
  await expect(page.locator('.app')).not.toHaveClass(/presenting/);
  await expect(page.getByRole('button', { name: 'Present' })).toBeVisible();
});
