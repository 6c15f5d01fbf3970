// A/B comparison as a user makes one: a variant of the shop checkout with more workers, the
// two diagrams side by side, the counters that differ, the first divergence, the overlaid
// charts, and the one link that reopens both.
import { test, expect, openPlayground } from './fixtures.mjs';

const panel = (page) => page.getByRole('region', { name: 'A/B comparison' });
const mainDiagram = (page) => page.getByRole('region', { name: 'Diagram', exact: true });

/** The table's rows as {entity, counter, a, b, change}. */
async function rows(page) {
  return panel(page).locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const [entity, counter, a, b, change] = [...tr.cells].map((c) => c.textContent);
    return { entity, counter, a, b, change };
  }));
}

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
}

test('more workers in B: the counters that differ, where the runs part, and one link for both', async ({ page }) => {
  await openPlayground(page);
  await page.locator('.preset-picker select').selectOption('request-reply');
  await jump(page, '20s');
  await page.getByRole('button', { name: 'Compare with a variant' }).click();
  // B starts as A: nothing differs, and the traces never part.
  await expect(panel(page)).toContainText('No counter differs at this moment.');
  await expect(panel(page).getByRole('group', { name: 'First divergence' })).toContainText('The two traces are the same');
  await expect(page.getByRole('group', { name: 'Diagram of variant B' })).toBeVisible();

  // Change B's workers with the ordinary properties form.
  await panel(page).getByRole('button', { name: 'Edit variant B' }).click();
  await expect(panel(page).getByRole('button', { name: 'Edit variant B' })).toHaveAttribute('aria-pressed', 'true');
  await expect(mainDiagram(page).locator('.variant-badge')).toHaveText('Variant B · editing');
  await mainDiagram(page).locator('g.node[data-entity="order-service"]').click();
  const workers = page.getByRole('region', { name: /^Properties of / }).getByLabel('Workers', { exact: true });
  await workers.fill('8');
  await workers.press('Tab');

  // The diverging counters: twice the workers halve the predicted utilisation.
  const table = await rows(page);
  const utilisation = table.find((r) => r.entity === 'order-service' && r.counter === 'predicted_utilisation');
  expect(Number(utilisation.b)).toBeCloseTo(Number(utilisation.a) / 2, 9);
  const longest = table.find((r) => r.entity === 'order-service' && r.counter === 'queue_len_max');
  expect(Number(longest.b)).toBeLessThan(Number(longest.a));
  const caption = await panel(page).locator('table caption').textContent();
  expect(caption).toMatch(/^Counters that differ at 20 s \(\d+\)$/);

  // The first divergence: A queues a request that B, with free workers, starts.
  const divergence = panel(page).getByRole('group', { name: 'First divergence' });
  await expect(divergence).toContainText(/The runs part at \d/);
  await expect(divergence.locator('dd').first()).toHaveText(/^Queued request #\d+/);
  await expect(divergence.locator('dd').nth(1)).toHaveText(/^Started request #\d+/);
  const moment = (await divergence.locator('strong').textContent()).replace('The runs part at ', '');
  // A's diagram beside B's, drawn from A's own run.
  await expect(page.getByRole('group', { name: 'Diagram of variant A' }).getByRole('img', { name: /^service order-service: \d+\/4 busy/ })).toBeVisible();
  await expect(mainDiagram(page).getByRole('img', { name: /^service order-service: \d+\/8 busy/ })).toBeVisible();

  // The charts draw both variants.
  await expect(page.getByRole('group', { name: 'Chart: Response time' })).toContainText('order-service p99 (A)');
  await expect(page.getByRole('group', { name: 'Chart: Response time' })).toContainText('order-service p99 (B)');

  // One link reopens both, at the same moment, with B being edited.
  await panel(page).getByRole('button', { name: 'Copy A/B link' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toContain('#ab1.');
  await page.goto('about:blank');
  await page.goto(link);
  await expect(panel(page)).toBeVisible();
  await expect(mainDiagram(page).locator('.variant-badge')).toHaveText('Variant B · editing');
  await expect(panel(page).locator('table caption')).toHaveText(caption);
  await expect(panel(page).getByRole('group', { name: 'First divergence' }).locator('strong')).toHaveText(`The runs part at ${moment}`);
  expect(await rows(page)).toEqual(table);

  // Go to the divergence: both runs move there.
  await panel(page).getByRole('button', { name: 'Go to the divergence' }).click();
  await expect(page.locator('.clock-value')).toHaveAttribute('title', moment);

  // Ending the comparison keeps the variant being edited.
  await panel(page).getByRole('button', { name: 'End comparison' }).click();
  await expect(panel(page)).toHaveCount(0);
  await expect(mainDiagram(page).getByRole('img', { name: /^service order-service: \d+\/8 busy/ })).toBeVisible();
});

test('a broken A/B link is refused with the reason, and nothing on screen changes', async ({ page }) => {
  await openPlayground(page);
  await page.goto('/#ab1.AAAAAAAA');
  await expect(page.getByRole('alert')).toContainText('The link is');
  await expect(panel(page)).toHaveCount(0);
  await page.goto('/#ab9.AAAA');
  await expect(page.getByRole('alert')).toContainText('newer');
});
