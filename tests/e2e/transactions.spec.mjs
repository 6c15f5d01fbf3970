// Exactly-once read-process-write as a person sees it: two stream processors crash the same way;
// the transactional one's open records are drawn open, then aborted; the reader of committed
// records waits for them and skips them, the others count repeats; the records behind each
// counter; a processor made transactional in its properties.
import { test, expect, openPlayground } from './fixtures.mjs';

const node = (page, name) => page.locator(`g.node[data-entity="${name}"]`);
const EXAMPLE = 'Broker: guarantees — Exactly-once read-process-write with Kafka transactions';

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText(time.replace('s', ' s'));
}

const rows = (page) => page.getByRole('table', { name: /Event log/ }).getByRole('button', { name: /^Move cursor to:/ });

test('a crash aborts the transaction: only the reader of committed records stays exact', async ({ page }, testInfo) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: EXAMPLE });
  // Crashed at 8 s with its transaction open: its records are drawn open, and the reader of
  // committed records waits before them while the other one has read them.
  await jump(page, '8.5s');
  await page.screenshot({ path: testInfo.outputPath('transactions-8.5s.png') });
  await expect(node(page, 'ledger-eos').locator('rect.cell.open').first()).toBeVisible();
  await expect(page.getByRole('img', { name: /^consumer convert-eos-1 \(down\): .*transactions committed \d+, aborted 0, one open/ })).toBeVisible();
  await expect(node(page, 'committed-only')).toContainText('read committed');
  await expect(node(page, 'reads-all')).toContainText('read uncommitted');
  const lagging = Number((await node(page, 'audit-committed').textContent()).match(/lag total (\d+)/)[1]);
  expect(lagging).toBeGreaterThan(0);
  await expect(node(page, 'audit-all')).toContainText('lag total 0');

  await jump(page, '30s');
  await expect(node(page, 'convert-eos-1')).toContainText(/txns \d+ · aborted 2/);
  await expect(node(page, 'committed-only')).toContainText('Σ 21,000 of 21,000');
  await expect(node(page, 'committed-only')).toContainText('✓ none lost or twice');
  const twice = (name) => node(page, name).textContent().then((t) => Number(t.match(/twice (\d+)/)[1]));
  expect(await twice('reads-all')).toBeGreaterThan(0);
  expect(await twice('reads-alo')).toBeGreaterThan(0);
  expect(await twice('convert-eos-1')).toBe(0);
  await expect(node(page, 'reads-all').locator('text.anomaly').first()).toBeVisible();
  await expect(node(page, 'committed-only').locator('text.anomaly')).toHaveCount(0);

  // Each counter opens the records behind it.
  const processor = page.getByRole('article', { name: 'consumer convert-eos-1' });
  await processor.getByRole('button', { name: '2 transactions aborted of convert-eos-1: show them in the event log' }).click();
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toHaveAccessibleName(/^Move cursor to: Transaction aborted transaction \d+ \(its member was fenced\): its \d+ records? stay in the log marked aborted/);
  const reader = page.getByRole('article', { name: 'consumer committed-only' });
  const skipped = reader.getByRole('button', { name: /^\d+ aborted skipped of committed-only: show them in the event log$/ });
  const count = Number((await skipped.textContent()).trim());
  expect(count).toBe(await twice('reads-all'));
  await expect(node(page, 'committed-only')).toContainText(`twice 0 · skipped ${count}`);
  await skipped.click();
  await expect(rows(page)).toHaveCount(count);
  await expect(rows(page).first()).toHaveAccessibleName(/^Move cursor to: Skipped aborted record message #\d+, written by an aborted transaction/);
});

test('making the at-least-once processor transactional in its properties ends its reader\'s repeats', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: EXAMPLE });
  const box = await page.locator('figure.diagram [data-entity="convert-alo-1"] rect').first().boundingBox();
  await page.mouse.click(box.x + 20, box.y + 10);
  const properties = page.getByRole('region', { name: 'Properties of consumer convert-alo-1' });
  await expect(properties).toBeVisible();
  await expect(properties.getByLabel('Writes to topic')).toHaveValue('ledger-alo');
  await properties.getByLabel('Delivery guarantee').selectOption('transactional');
  await expect(node(page, 'convert-alo-1')).toContainText('exactly once (txn)');
  await jump(page, '30s');
  // Its crashes now abort transactions: the reader passes over what they wrote.
  await expect(node(page, 'reads-alo')).toContainText(/twice 0 · skipped [1-9]\d*/);
  await expect(node(page, 'reads-alo')).toContainText('Σ 21,000 of 21,000');
  // Without a topic to write to, a transaction has nothing to commit: refused, nothing lost.
  await properties.getByLabel('Writes to topic').selectOption('');
  await expect(properties.locator('.field-error')).toContainText('writes_to');
  await expect(node(page, 'convert-alo-1')).toContainText('exactly once (txn)');
});
