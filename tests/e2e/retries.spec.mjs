// Retries and idempotency keys as a person sees them: a checkout client whose link doubles
// requests makes the order service create orders twice, which its card counts and the log
// shows; turning on idempotency keys makes it answer the repeats with the first order instead.
import { test, expect, openPlayground } from './fixtures.mjs';

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText(time.replace('s', ' s'));
}

const counter = (card, name) => card.locator('.counter').filter({ has: card.page().locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd');

test('a link that doubles requests makes duplicate orders, and idempotency keys stop them', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: 'Request-response — Shop checkout under a load ramp' });
  const client = await page.locator('figure.diagram [data-entity="wave-1"] rect').first().boundingBox();
  await page.mouse.click(client.x + 20, client.y + 10);
  const clientProps = page.getByRole('region', { name: 'Properties of client wave-1' });
  const doubles = clientProps.getByLabel('Link duplicates (%)');
  await doubles.fill('20');
  await doubles.blur();
  await expect(page.locator('g.link[data-from="wave-1"][data-to="order-service"] line.edge.faulty')).toHaveCount(1);
  await jump(page, '5s');
  const service = page.getByRole('article', { name: 'service order-service' });
  await expect(counter(service, 'orders duplicated')).not.toHaveText('0');
  await service.getByRole('button', { name: /orders duplicated of order-service: show them in the event log$/ }).click();
  const rows = page.getByRole('table', { name: /Event log/ }).getByRole('button', { name: /^Move cursor to:/ });
  await expect(rows.first()).toHaveAccessibleName(/^Move cursor to: Duplicate order order \d+ for what already made order \d+/);

  await page.locator('figure.diagram [data-entity="order-service"] rect').first().click({ position: { x: 100, y: 40 }, force: true });
  const serviceProps = page.getByRole('region', { name: 'Properties of service order-service' });
  await serviceProps.getByRole('checkbox', { name: 'Idempotency keys' }).check();
  await jump(page, '5s');
  await expect(counter(service, 'orders duplicated')).toHaveText('0');
  await expect(counter(service, 'orders replayed')).not.toHaveText('0');
});
