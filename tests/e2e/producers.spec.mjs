// Producer guarantees as a person sees them: the producer-acks example's three producers through
// leader failovers, each saying what its settings allowed, the readers' totals against what was
// written, the topic's failover button and replicas, and the idempotent switch in the builder.
import { test, expect, openPlayground } from './fixtures.mjs';

const node = (page, name) => page.locator(`g.node[data-entity="${name}"]`);
const EXAMPLE = 'Broker: guarantees — Producer acks, retries and the idempotent producer through leader failovers';

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText(time.replace('s', ' s'));
}

const amount = (text) => Number(text.replaceAll(',', ''));

test('through the same failovers acks leader loses orders, acks all doubles some, the idempotent producer is exact', async ({ page }, testInfo) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: EXAMPLE });
  await jump(page, '30s');
  await page.screenshot({ path: testInfo.outputPath('producers-30s.png') });

  const leader = node(page, 'acks-leader');
  await expect(leader).toContainText('acks leader · 5 retries');
  await expect(leader).toContainText(/retried [1-9]\d* · lost [1-9]/);
  await expect(node(page, 'acks-all')).toContainText(/lost 0/);
  await expect(node(page, 'idempotent')).toContainText(/copies discarded [1-9]/);
  await expect(page.getByRole('img', { name: /^producer acks-leader: acks leader, 5 retries; its link loses 5 % · doubles 2 %; sent 500, confirmed 500, retried \d+, lost [1-9]/ })).toBeVisible();

  // The readers' totals: acks leader's reader misses what the failovers removed; acks all's
  // counts some orders twice; the idempotent producer's reader is exact.
  const readerLeader = await node(page, 'reader-leader').textContent();
  const [, counted, written, lost, twice] = readerLeader.match(/Σ ([\d,]+) of ([\d,]+)\s*−([\d,]+) lost\s*\+([\d,]+) twice/);
  expect(amount(counted) - amount(twice) + amount(lost)).toBe(amount(written));
  const readerAll = await node(page, 'reader-all').textContent();
  const [, allCounted, allWritten, allTwice] = readerAll.match(/Σ ([\d,]+) of ([\d,]+)\s*\+([\d,]+) twice/);
  expect(amount(allCounted) - amount(allTwice)).toBe(amount(allWritten));
  await expect(node(page, 'reader-idempotent')).toContainText(/Σ ([\d,]+) of \1/);
  await expect(node(page, 'reader-idempotent')).toContainText('✓ none lost or twice');

  // The topics say how many replicas they keep and what the failovers removed; only the one
  // whose removals were losses says it in the colour of trouble.
  await expect(node(page, 'orders-leader')).toContainText('3 replicas');
  await expect(node(page, 'orders-leader').locator('text.anomaly')).toContainText(/3 failovers · \d+ removed/);
  await expect(node(page, 'orders-all').locator('text.anomaly')).toHaveCount(0);
  // The producers' links are faulty, and drawn so.
  await expect(page.locator('g.link[data-from="acks-leader"][data-to="orders-leader"] line.edge.faulty')).toHaveCount(1);

  // The producer's lost count opens the records its topic removed after acknowledging them.
  const card = page.getByRole('article', { name: 'producer acks-leader' });
  const lostButton = card.getByRole('button', { name: /^\d+ lost of acks-leader: show them in the event log$/ });
  const lostCount = Number((await lostButton.textContent()).trim());
  await lostButton.click();
  const rows = page.getByRole('table', { name: /Event log/ }).getByRole('button', { name: /^Move cursor to:/ });
  await expect(rows.first()).toHaveAccessibleName(/^Move cursor to: Truncated message #\d+ at p\d@\d+, already acknowledged — lost, never processed orders-leader/);
  await expect(rows).toHaveCount(lostCount);
});

test('failing a topic\'s leaders over by hand removes what the followers had not copied', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: EXAMPLE });
  await jump(page, '3s');
  await expect(node(page, 'orders-leader')).toContainText('no failover yet');
  await page.getByRole('button', { name: 'Fail over the partition leaders of orders-leader' }).click();
  await expect(node(page, 'orders-leader')).toContainText(/^.*1 failover\b/);
  await expect(page.getByRole('img', { name: /^topic orders-leader: .*3 replicas, \d+ not yet copied, 1 failovers?, \d+ records truncated/ })).toBeVisible();
  // One record per partition says a follower took over, with what only the old leader had.
  await page.getByLabel('Filter events').fill('Leader failed over');
  const rows = page.getByRole('table', { name: /Event log/ }).getByRole('button', { name: /^Move cursor to:/ });
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAccessibleName(/^Move cursor to: Leader failed over p\d: a follower leads \(epoch 1\); \d+ records? only the old leader had orders-leader/);
  // The other topics were left alone.
  await expect(node(page, 'orders-all')).toContainText('no failover yet');
});

test('the idempotent producer is a switch in the properties, and turning it on stops the duplicates', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: EXAMPLE });
  const producer = await page.locator('figure.diagram [data-entity="acks-all"] rect').first().boundingBox();
  await page.mouse.click(producer.x + 20, producer.y + 10);
  const properties = page.getByRole('region', { name: 'Properties of producer acks-all' });
  await expect(properties).toBeVisible();
  const idempotent = properties.getByRole('checkbox', { name: 'Idempotent producer' });
  await expect(idempotent).not.toBeChecked();
  await idempotent.check();
  await expect(node(page, 'acks-all')).toContainText('idempotent · 5 retries');
  await jump(page, '30s');
  await expect(node(page, 'acks-all')).toContainText(/copies discarded [1-9]/);
  await expect(node(page, 'reader-all')).toContainText('✓ none lost or twice');
  // acks leader cannot be idempotent: the properties say why and keep the scenario as it was.
  await properties.getByLabel('Acks').selectOption('leader');
  await expect(properties.locator('.field-error')).toContainText('needs acks all');
  await expect(node(page, 'acks-all')).toContainText('idempotent · 5 retries');
});
