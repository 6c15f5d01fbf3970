// The dual-write problem and its cure as a person sees them: three order services crashing at
// the worst moment, each saying what its way of writing and publishing allowed, against what its
// billing consumer handled; the records that show it; the way changed in the properties panel.
import { test, expect, openPlayground } from './fixtures.mjs';

const node = (page, name) => page.locator(`g.node[data-entity="${name}"]`);
const EXAMPLE = 'Broker: guarantees — Dual write against the transactional outbox';

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText(time.replace('s', ' s'));
}

async function handled(page, consumer) {
  return Number((await node(page, consumer).textContent()).match(/handled ([\d,]+)/)[1].replaceAll(',', ''));
}

test('a dual write loses events, publishing first invents them, the outbox loses none', async ({ page }, testInfo) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: EXAMPLE });
  await jump(page, '30s');
  await page.screenshot({ path: testInfo.outputPath('outbox-30s.png') });

  const [, dualDb, lost] = (await node(page, 'orders-dual').textContent()).match(/DB (\d+) · (\d+) lost/);
  expect(Number(lost)).toBeGreaterThan(0);
  expect(await handled(page, 'billing-dual')).toBe(Number(dualDb) - Number(lost));
  const [, firstDb, invented] = (await node(page, 'orders-first').textContent()).match(/DB (\d+) · (\d+) invented/);
  expect(Number(invented)).toBeGreaterThan(0);
  expect(await handled(page, 'billing-first')).toBe(Number(firstDb) + Number(invented));
  const [, outboxDb, twice] = (await node(page, 'orders-outbox').textContent()).match(/DB (\d+) · (\d+) sent twice/);
  expect(Number(twice)).toBeGreaterThan(0);
  expect(await handled(page, 'billing-outbox')).toBe(Number(outboxDb));
  await expect(node(page, 'billing-outbox')).toContainText(`deduped ${twice}`);
  // Losses and inventions in the colour of trouble; the outbox's repeats are not trouble.
  await expect(node(page, 'orders-dual').locator('text.anomaly')).toHaveCount(1);
  await expect(node(page, 'orders-outbox').locator('text.anomaly')).toHaveCount(0);
  await expect(page.getByRole('img', { name: /^service orders-dual: .*writes and events: dual write; \d+ written, \d+ published, [1-9]\d* lost/ })).toBeVisible();

  // The lost count opens the records that say which orders nobody heard of, and why.
  const card = page.getByRole('article', { name: 'service orders-dual' });
  await card.getByRole('button', { name: /^\d+ events lost of orders-dual: show them in the event log$/ }).click();
  const rows = page.getByRole('table', { name: /Event log/ }).getByRole('button', { name: /^Move cursor to:/ });
  await expect(rows).toHaveCount(Number(lost));
  await expect(rows.first()).toHaveAccessibleName(/^Move cursor to: Event never published OrderCreated of order \d+: written, then the crash came before the publish orders-dual/);
});

test('switching a dual-write service to an outbox in its properties stops the losses', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: EXAMPLE });
  const service = await page.locator('figure.diagram [data-entity="orders-dual"] rect').first().boundingBox();
  await page.mouse.click(service.x + 20, service.y + 10);
  const properties = page.getByRole('region', { name: 'Properties of service orders-dual' });
  await expect(properties).toBeVisible();
  const field = properties.getByLabel('Write and events (JSON)');
  await field.fill('{"outbox": {"relay_interval": "200ms", "publish_time": {"constant": "5ms"}}}');
  await field.blur();
  await expect(node(page, 'orders-dual')).toContainText('outbox');
  await jump(page, '30s');
  await expect(node(page, 'orders-dual')).toContainText(/DB \d+ · \d+ sent twice/);
  // A relay that never lets time pass is refused, and the scenario stays as it was.
  await field.fill('{"outbox": {"relay_interval": "0s", "publish_time": {"constant": "5ms"}}}');
  await field.blur();
  await expect(properties.locator('.field-error')).toContainText('relay');
  await expect(node(page, 'orders-dual')).toContainText('outbox');
});
