// Shared set-up: every test fails on any console error, warning or uncaught page error.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  page: async ({ page }, use) => {
    const problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await use(page);
    expect(problems, 'console errors and warnings').toEqual([]);
  },
});
export { expect };

/** Opens the playground as a new user would and waits until it is interactive. */
export async function openPlayground(page) {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'EDA Playground' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Step', exact: true })).toBeEnabled();
}

/** Resolves after the browser has painted two more frames (no wall-clock sleeping). */
export async function nextFrames(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}
