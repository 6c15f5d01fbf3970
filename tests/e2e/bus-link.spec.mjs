// A listener in another process, over a faulty link from its bus, as a person sets it up and sees
// it: the link drawn faulty with what it does, the listener's lost and repeated events, the
// records behind each count, and the listener cut off the network from its panel.
import { test, expect, openPlayground } from './fixtures.mjs';

const node = (page, name) => page.locator(`g.node[data-entity="${name}"]`);
const rows = (page) => page.getByRole('table', { name: /Event log/ }).getByRole('button', { name: /^Move cursor to:/ });

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText(time.replace('s', ' s'));
}

test('a doubling link from the bus makes the sms listener handle every event twice', async ({ page }, testInfo) => {
  await openPlayground(page);
  const box = await page.locator('figure.diagram [data-entity="sms"] rect').first().boundingBox();
  await page.mouse.click(box.x + 20, box.y + 10);
  const properties = page.getByRole('region', { name: 'Properties of listener sms' });
  await expect(properties).toBeVisible();
  const doubled = properties.getByLabel('Link duplicates (%)');
  await doubled.fill('100');
  await doubled.press('Tab');
  await expect(page.locator('figure.diagram .edge.faulty')).toHaveCount(1);
  const link = page.locator('figure.diagram g.link[data-from="order-events"][data-to="sms"]');
  await expect(link.locator('title')).toHaveText('order-events delivers to sms; the link doubles 100 %');
  await expect(link.locator('.edge-fault')).toContainText('⚡');
  await jump(page, '2.5s');
  await page.screenshot({ path: testInfo.outputPath('bus-link.png') });
  await expect(node(page, 'sms')).toContainText('lost 0 · twice 3');
  await expect(node(page, 'sms').locator('text.anomaly')).toHaveCount(1);
  await expect(page.getByRole('img', { name: /^listener sms: 6 delivered, .*6 handled; its link from the bus doubles 100 %: lost 0, cut off 0, handled twice 3/ })).toBeVisible();

  // Listeners are edited in the Listeners panel: their link's counts are there.
  const panel = page.getByRole('group', { name: 'Listener sms' });
  await expect(panel).toContainText('link from the bus: doubles 100 %');
  await panel.getByRole('button', { name: 'handled twice 3 of sms: show them in the event log' }).click();
  await expect(rows(page)).toHaveCount(3);
  await expect(rows(page).first()).toHaveAccessibleName(/^Move cursor to: Handled again Order\w+ #\d/);

  // A lossy link instead: a bad percentage is refused and the scenario keeps its link.
  const lost = properties.getByLabel('Link loss (%)');
  await lost.fill('100');
  await lost.press('Tab');
  await expect(properties.locator('.field-error')).toContainText('connects nothing');
  await expect(link.locator('title')).toHaveText('order-events delivers to sms; the link doubles 100 %');
});

test('a listener cut off the network from its panel hears nothing until it is reconnected', async ({ page }) => {
  await openPlayground(page);
  await jump(page, '0.5s');
  await expect(page.getByRole('img', { name: /^listener sms: 1 delivered/ })).toBeVisible();
  const panel = page.getByRole('group', { name: 'Listener sms' });
  await panel.getByRole('button', { name: 'Cut sms off the network' }).click();
  await expect(node(page, 'sms')).toHaveClass(/cut-off/);
  await jump(page, '2.5s');
  await expect(page.getByRole('img', { name: /^listener sms: 1 delivered, .*cut off 2/ })).toBeVisible();
  await panel.getByRole('button', { name: 'stopped by the partition 2 of sms: show them in the event log' }).click();
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toHaveAccessibleName(/^Move cursor to: Cut off by the partition Order\w+ #\d/);
  await panel.getByRole('button', { name: 'Reconnect sms to the network' }).click();
  await expect(node(page, 'sms')).not.toHaveClass(/cut-off/);
});
