// Delivery guarantees as a person sees them: the three consumers of the guarantees example under
// the same faults, each saying what its guarantee allowed, the totals to expect on the queues,
// the faulty links drawn as such, and a guarantee changed in the properties panel.
import { test, expect, openPlayground } from './fixtures.mjs';

const node = (page, name) => page.locator(`g.node[data-entity="${name}"]`);

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText(time.replace('s', ' s'));
}

test('under the same faults at-most-once comes up short, at-least-once counts twice, exactly-once is exact', async ({ page }, testInfo) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: 'Broker: guarantees — At-most, at-least and exactly once under the same faults' });
  await jump(page, '30s');
  await page.screenshot({ path: testInfo.outputPath('guarantees-30s.png') });

  // Each queue says what its accepted messages add up to: the total to expect.
  for (const queue of ['at-most-q', 'at-least-q', 'exactly-q']) {
    await expect(node(page, queue)).toContainText('Σ accepted 10,000');
  }
  const atMost = node(page, 'at-most-once');
  await expect(atMost).toContainText('at most once');
  await expect(atMost).toContainText(/handled \d+ · lost [1-9]/);
  await expect(atMost).toContainText('processed twice 0');
  // Settled by 30 s: what it counted and what it lost add up to what its queue accepted.
  const [, counted, lost] = (await atMost.textContent()).match(/Σ ([\d,]+) of 10,000\s*−([\d,]+) lost/);
  expect(Number(counted.replace(',', '')) + Number(lost.replace(',', ''))).toBe(10000);
  const atLeast = node(page, 'at-least-once');
  await expect(atLeast).toContainText(/lost 0/);
  await expect(atLeast).toContainText(/processed twice [1-9]/);
  const [, total, twice] = (await atLeast.textContent()).match(/Σ ([\d,]+) of 10,000\s*\+([\d,]+) twice/);
  expect(Number(total.replace(',', '')) - Number(twice.replace(',', ''))).toBe(10000);
  const exactly = node(page, 'exactly-once');
  await expect(exactly).toContainText('exactly once');
  await expect(exactly).toContainText(/twice 0 · deduped [1-9]/);
  await expect(exactly).toContainText('Σ 10,000 of 10,000');
  await expect(exactly).toContainText('✓ none lost or twice');
  // The accessible names say the same.
  await expect(page.getByRole('img', { name: /^consumer at-least-once: delivery at-least-once; .*processed twice [1-9]\d*; total counted [\d,]+ of 10,000 accepted: [1-9][\d,]* counted twice, 0 lost$/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^consumer at-most-once: delivery at-most-once; its link loses 3 % · doubles 3 % · reorders within 20ms; handled \d+, lost [1-9]/ })).toBeVisible();

  // A shortfall and a surplus are drawn in the colour of trouble, the exact total in another.
  const fill = (locator) => locator.evaluate((el) => getComputedStyle(el).fill);
  const short = atMost.locator('text.anomaly', { hasText: /lost$/ }).last();
  const exact = exactly.locator('text.exact');
  expect(await fill(short)).not.toEqual(await fill(exact));
  expect(await fill(short)).not.toEqual(await fill(atMost.locator('text.stats', { hasText: 'processed twice' })));

  // The faulty links are dashed and say what they do.
  const link = page.locator('g.link[data-from="at-least-q"][data-to="at-least-once"]');
  await expect(link.locator('line.edge.faulty')).toHaveCount(1);
  await expect(link.locator('title')).toContainText('loses 3 % · doubles 3 % · reorders within 20ms');
  await expect(page.locator('g.link[data-from="orders"][data-to="at-least-q"] line.edge.faulty')).toHaveCount(0);

  // Each count of what a guarantee allowed opens the records that show it, with their reasons.
  const card = page.getByRole('article', { name: 'consumer at-most-once' });
  await card.getByRole('button', { name: /^\d+ lost of at-most-once: show them in the event log$/ }).click();
  const rows = page.getByRole('table', { name: /Event log/ }).getByRole('button', { name: /^Move cursor to:/ });
  await expect(rows.first()).toHaveAccessibleName(/^Move cursor to: Lost message #\d+, never processed \((the link lost it|the consumer went down first)\) at-most-once/);
  const lostCount = Number((await card.getByRole('button', { name: /^\d+ lost of at-most-once/ }).textContent()).trim());
  await expect(rows).toHaveCount(lostCount);
  await page.getByRole('article', { name: 'consumer at-least-once' }).getByRole('button', { name: /duplicates of at-least-once/ }).click();
  await expect(rows.first()).toHaveAccessibleName(/^Move cursor to: Handled message #\d+ — duplicate at-least-once/);
});

test('choosing at-most-once for a worker makes the broker auto-acknowledge and the node say so', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: 'Broker: queues — Work queue with retries and a dead-letter queue' });
  const worker = await page.locator('figure.diagram [data-entity="worker-1"] rect').first().boundingBox();
  await page.mouse.click(worker.x + 20, worker.y + 10);
  const properties = page.getByRole('region', { name: 'Properties of consumer worker-1' });
  await expect(properties).toBeVisible();
  await properties.getByLabel('Delivery guarantee').selectOption('at_most_once');
  await expect(node(page, 'worker-1')).toContainText('at most once');
  await jump(page, '5s');
  await expect(node(page, 'worker-1')).toContainText(/handled [1-9]\d*/);
  await expect(node(page, 'work')).toContainText(/unacked/);
});

test('a group member made at-most-once commits before processing, and its crash loses what it held', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: 'Broker: topics — Order status over a broker' });
  const member = await page.locator('figure.diagram [data-entity="sms-1"] rect').first().boundingBox();
  await page.mouse.click(member.x + 20, member.y + 10);
  const properties = page.getByRole('region', { name: 'Properties of consumer sms-1' });
  await expect(properties).toBeVisible();
  await properties.getByLabel('Delivery guarantee').selectOption('at_most_once');
  await expect(node(page, 'sms-1')).toContainText('at most once');
  // sms-1 crashes at 12 s in this example: whatever it was processing then is lost, not re-read.
  await jump(page, '20s');
  await expect(node(page, 'sms-1')).toContainText(/handled \d+ · lost [01]/);
  await expect(node(page, 'sms-1')).toContainText('processed twice 0');
  // Its ownership line stays plain; the guarantee is the line set in bold.
  await expect(node(page, 'sms-1').locator('text.guarantee')).toHaveText('at most once');
  await expect(page.getByRole('img', { name: /^consumer sms-1.*: .*delivery at-most-once/ })).toBeVisible();
});
