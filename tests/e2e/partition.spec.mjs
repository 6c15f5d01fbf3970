// Network partitions as a person sees them: the partition example's cut-off member and
// provider drawn as cut off, the links to them cut, what the group and the registry made of the
// silence; and cutting an entity off by hand from its card, then reconnecting it.
import { test, expect, openPlayground } from './fixtures.mjs';

const node = (page, name) => page.locator(`g.node[data-entity="${name}"]`);
const EXAMPLE = 'Faults: partition — A network partition during a rebalance and a registry heartbeat';

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText(time.replace('s', ' s'));
}

test('during the partition the cut-off member is replaced and the cut-off provider expires; after it both come back', async ({ page }, testInfo) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: EXAMPLE });
  await jump(page, '4s');
  await expect(node(page, 'billing-2')).not.toHaveClass(/cut-off/);
  await jump(page, '9s');
  await page.screenshot({ path: testInfo.outputPath('partition-9s.png') });
  // Cut off, not down: drawn so, and named so.
  for (const name of ['billing-2', 'pay-1']) {
    await expect(node(page, name)).toHaveClass(/cut-off/);
    await expect(node(page, name)).toContainText('✂ CUT OFF');
    await expect(node(page, name)).not.toHaveClass(/\bdown\b/);
  }
  await expect(page.getByRole('img', { name: /^consumer billing-2: .*\(cut off by the network partition\)$/ })).toBeVisible();
  await expect(page.locator('g.link[data-from="billing"][data-to="billing-2"] line.edge.cut')).toHaveCount(1);
  await expect(page.locator('g.link[data-from="orders"][data-to="billing"] line.edge.cut')).toHaveCount(0);
  // The group heard nothing for its session timeout: billing-1 owns every partition now.
  await expect(node(page, 'billing-1')).toContainText('owns p0 p1 p2 p3');
  // The registry heard no heartbeat for the TTL: payment is gone.
  await expect(node(page, 'registry')).toContainText('no entries');
  await jump(page, '20s');
  await expect(node(page, 'billing-2')).not.toHaveClass(/cut-off/);
  await expect(node(page, 'registry')).toContainText('payment');
  await expect(page.getByRole('article', { name: 'consumer group billing' }).locator('.counter', { hasText: 'rebalances' })).toContainText('3');
});

test('an entity cut off from its card is cut off until reconnected, and the log says when', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: 'Broker: queues — Work queue with retries and a dead-letter queue' });
  await jump(page, '2s');
  await page.getByRole('button', { name: 'Cut worker-1 off the network' }).click();
  await expect(node(page, 'worker-1')).toHaveClass(/cut-off/);
  await page.getByLabel('Filter events').fill('Network partitioned');
  const rows = page.getByRole('table', { name: /Event log/ }).getByRole('button', { name: /^Move cursor to:/ });
  await expect(rows).toHaveCount(1);
  await page.getByLabel('Filter events').fill('');
  // Nothing reaches it while it is cut off: what it handled stays as it was, worker-2 does the work.
  const handled = async (name) => Number((await node(page, name).textContent()).match(/handled (\d+)/)[1]);
  await jump(page, '3s');
  const [mine, theirs] = [await handled('worker-2'), await handled('worker-1')];
  await jump(page, '7s');
  expect(await handled('worker-1')).toBeLessThanOrEqual(theirs + 1);
  expect(await handled('worker-2')).toBeGreaterThan(mine);
  await page.getByRole('button', { name: 'Reconnect worker-1 to the network' }).click();
  await expect(node(page, 'worker-1')).not.toHaveClass(/cut-off/);
  await page.getByLabel('Filter events').fill('Network healed');
  await expect(rows).toHaveCount(1);
});
