// Any pattern from the example picker: it loads, runs, shows the core's counters per entity,
// and takes faults from the UI.
import { test, expect, openPlayground } from './fixtures.mjs';

async function load(page, label) {
  await page.getByLabel('Example scenario').selectOption({ label });
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText('0 s');
}

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
}

function counter(card, name) {
  return card.locator('.counter').filter({ has: card.page().locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd');
}

test('the topics example runs: every record produced is in the log and the group catches up', async ({ page }) => {
  await openPlayground(page);
  await load(page, 'Broker: topics — Order status over a broker');
  await expect(page.getByRole('heading', { name: 'Entities' })).toBeVisible();
  await jump(page, '10s');
  const topic = page.getByRole('article', { name: 'topic order-topic' });
  const producer = page.getByRole('article', { name: 'producer order-system' });
  const sent = await counter(producer, 'sent').textContent();
  expect(Number(sent)).toBeGreaterThan(20);
  await expect(counter(topic, 'records')).toHaveText(sent);
  const group = page.getByRole('article', { name: 'consumer group order-system-group' });
  await expect(counter(group, 'members')).toHaveText('2');
  // The seed example's crash at 12 s: the group rebalances after the session timeout.
  await jump(page, '25s');
  await expect(counter(group, 'members')).toHaveText('1');
  await expect(counter(page.getByRole('article', { name: 'consumer sms-1' }), 'down')).toHaveText('1');
});

test('the request-response example takes a crash from the UI and the service refuses meanwhile', async ({ page }) => {
  await openPlayground(page);
  await load(page, 'Request-response — Shop checkout under a load ramp');
  await page.getByRole('button', { name: 'Crash order-service' }).click();
  await jump(page, '2s');
  const service = page.getByRole('article', { name: 'service order-service' });
  await expect(counter(service, 'completed')).toHaveText('0');
  expect(Number(await counter(service, 'refused').textContent())).toBeGreaterThan(10);
  await page.getByRole('button', { name: 'Restart order-service' }).click();
  await jump(page, '4s');
  expect(Number(await counter(service, 'completed').textContent())).toBeGreaterThan(10);
  await expect(page.getByRole('region', { name: 'Timed commands' }).getByText('order-service restarts')).toBeVisible();
});

test('charts follow the run and their cursor follows a seek', async ({ page }) => {
  await openPlayground(page);
  await load(page, 'Request-response — Shop checkout under a load ramp');
  await jump(page, '40s');
  const charts = page.getByRole('region', { name: 'Charts' });
  const throughput = charts.getByRole('group', { name: 'Chart: Throughput' });
  const depth = charts.getByRole('group', { name: 'Chart: Queue depth' });
  await expect(throughput).toBeVisible();
  await expect(charts.getByRole('group', { name: 'Chart: Response time' })).toBeVisible();
  // At 40 s the service is saturated: its queue holds many requests.
  const busyText = await depth.locator('figcaption').textContent();
  expect(Number(busyText.match(/order-service ([\d.]+)/)[1])).toBeGreaterThan(5);
  // Back at 1 s (one wave, far below capacity) the same chart reads an almost empty queue.
  await jump(page, '1s');
  const quietText = await depth.locator('figcaption').textContent();
  expect(Number(quietText.match(/order-service ([\d.]+)/)[1])).toBeLessThan(5);
});

test('create orders by hand and change or stop a stream of orders', async ({ page }) => {
  await openPlayground(page);
  await load(page, 'Request-response — Shop checkout under a load ramp');
  for (const wave of ['wave-1', 'wave-2', 'wave-3']) {
    const rate = page.getByRole('spinbutton', { name: `Orders per second from ${wave}` });
    await rate.fill('0');
    await rate.press('Enter');
  }
  await jump(page, '5s');
  const service = page.getByRole('article', { name: 'service order-service' });
  await expect(counter(service, 'arrived')).toHaveText('0');
  await page.getByRole('button', { name: 'Create order as wave-1' }).click();
  await page.getByRole('button', { name: 'Create order as wave-2' }).click();
  await jump(page, '6s');
  await expect(counter(service, 'orders created')).toHaveText('2');
  const rate = page.getByRole('spinbutton', { name: 'Orders per second from wave-3' });
  await rate.fill('-3');
  await rate.press('Enter');
  await expect(page.getByText('Rate of wave-3: "-3" is not a number from 0 to 100000 per second.')).toBeVisible();
  await rate.fill('20');
  await rate.press('Enter');
  await jump(page, '16s');
  expect(Number(await counter(service, 'orders created').textContent())).toBeGreaterThan(100);
});

test('topics show their partitions and groups their lag per partition as bars', async ({ page }) => {
  await openPlayground(page);
  await load(page, 'Broker: topics — Order status over a broker');
  await jump(page, '10s');
  const topic = page.getByRole('article', { name: 'topic order-topic' });
  let sum = 0;
  for (const p of [0, 1, 2]) {
    const bar = topic.getByRole('meter', { name: `p${p} of order-topic` });
    await expect(bar).toBeVisible();
    sum += Number(await bar.getAttribute('aria-valuenow'));
  }
  await expect(counter(topic, 'records')).toHaveText(String(sum));
  // The member crashed at 12 s owns partitions whose lag grows until the session times out.
  await jump(page, '20s');
  const group = page.getByRole('article', { name: 'consumer group order-system-group' });
  const lags = await Promise.all([0, 1, 2].map((p) => group.getByRole('meter', { name: `lag p${p} of order-system-group` }).getAttribute('aria-valuenow')));
  expect(lags.map(Number).reduce((a, b) => a + b, 0)).toBe(Number(await counter(group, 'lag total').textContent()));
});
