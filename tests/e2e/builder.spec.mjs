// Building each of the five patterns from an empty scenario, by role and name only, as a new
// user would: add entities, connect and tune them in their properties, run, read the counters.
import { test, expect, openPlayground } from './fixtures.mjs';

async function startEmpty(page) {
  await page.getByRole('button', { name: 'New empty scenario' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Start an empty scenario?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByText('The scenario is empty.')).toBeVisible();
}

async function add(page, kind, name) {
  const build = page.getByRole('region', { name: 'Build' });
  await build.getByLabel('Entity kind').selectOption({ label: kind });
  await build.getByLabel('Entity name').fill(name);
  await build.getByRole('button', { name: 'Add entity' }).click();
  await expect(page.getByRole('heading', { name: `Properties of ${kind.toLowerCase()} ${name}` })).toBeVisible();
}

function properties(page) {
  return page.getByRole('region', { name: /^Properties of / });
}

async function setProperty(page, label, value) {
  const field = properties(page).getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Tab');
}

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
}

function counter(card, name) {
  return card.locator('.counter').filter({ has: card.page().locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd');
}

test('a work queue built from empty delivers every message to its consumer', async ({ page }) => {
  await openPlayground(page);
  await startEmpty(page);
  await add(page, 'Queue', 'work');
  await add(page, 'Producer', 'jobs');
  await setProperty(page, 'Gap between messages', '100ms');
  await setProperty(page, 'Messages in all', '20');
  await add(page, 'Consumer', 'worker');
  await setProperty(page, 'Processing time', '20ms');
  await expect(properties(page).getByLabel('Reads queue')).toHaveValue('work');
  await jump(page, '5s');
  await expect(counter(page.getByRole('article', { name: 'queue work' }), 'enqueued')).toHaveText('20');
  await expect(counter(page.getByRole('article', { name: 'consumer worker' }), 'handled')).toHaveText('20');
  const diagram = page.getByRole('group', { name: 'Scenario diagram' });
  await expect(diagram.getByLabel(/^queue work: /)).toBeVisible();
  await page.screenshot({ path: 'test-results/built-queue.png' });
});

test('a topic with a consumer group built from empty shares the partitions', async ({ page }) => {
  await openPlayground(page);
  await startEmpty(page);
  await add(page, 'Topic', 'orders');
  await setProperty(page, 'Partitions', '4');
  await add(page, 'Consumer group', 'readers');
  await properties(page).getByLabel('Assignor').selectOption('round_robin');
  await add(page, 'Producer', 'shop');
  await setProperty(page, 'Gap between messages', '50ms');
  await setProperty(page, 'Messages in all', '40');
  await add(page, 'Consumer', 'r1');
  await add(page, 'Consumer', 'r2');
  await jump(page, '10s');
  await expect(counter(page.getByRole('article', { name: 'topic orders' }), 'records')).toHaveText('40');
  const r1 = Number(await counter(page.getByRole('article', { name: 'consumer r1' }), 'handled').textContent());
  const r2 = Number(await counter(page.getByRole('article', { name: 'consumer r2' }), 'handled').textContent());
  expect(r1 + r2).toBe(40);
  expect(r1).toBeGreaterThan(0);
  expect(r2).toBeGreaterThan(0);
});

test('an event bus built from empty delivers to a subscribed listener', async ({ page }) => {
  await openPlayground(page);
  await startEmpty(page);
  await add(page, 'Event type', 'OrderStateChanged');
  await add(page, 'Event type', 'OrderPaid');
  await properties(page).getByLabel('Parent type').selectOption('OrderStateChanged');
  await add(page, 'Event source', 'shop');
  await add(page, 'Listener', 'sms');
  await properties(page).getByRole('checkbox', { name: 'OrderStateChanged' }).check();
  await page.getByRole('button', { name: 'Publish OrderPaid' }).click();
  await jump(page, '1s');
  const diagram = page.getByRole('group', { name: 'Scenario diagram' });
  await expect(diagram.getByLabel(/^listener sms: 1 delivered, 0 waiting, 1 handled/)).toBeVisible();
});

test('an order service built from empty creates orders by button and by rate', async ({ page }) => {
  await openPlayground(page);
  await startEmpty(page);
  await add(page, 'Service', 'order-service');
  await setProperty(page, 'Workers', '2');
  await setProperty(page, 'Order code validity', '30s');
  await add(page, 'Client', 'shoppers');
  await page.getByRole('button', { name: 'Create order as shoppers' }).click();
  await page.getByRole('button', { name: 'Create order as shoppers' }).click();
  await jump(page, '1s');
  const service = page.getByRole('article', { name: 'service order-service' });
  await expect(counter(service, 'orders created')).toHaveText('2');
  await page.getByLabel('Orders per second from shoppers').fill('10');
  await page.getByLabel('Orders per second from shoppers').press('Tab');
  await jump(page, '11s');
  const created = Number(await counter(service, 'orders created').textContent());
  expect(created).toBeGreaterThan(60);
});

test('service discovery built from empty finds a provider, then fails a missing name', async ({ page }) => {
  await openPlayground(page);
  await startEmpty(page);
  await add(page, 'Service registry', 'registry');
  await add(page, 'Provider', 'foo');
  await add(page, 'Discovery client', 'caller');
  await jump(page, '1s');
  const caller = page.getByRole('article', { name: 'discovery client caller' });
  await caller.getByLabel('Service name for caller').fill('foo');
  await caller.getByRole('button', { name: 'Look up with caller' }).click();
  await caller.getByLabel('Service name for caller').fill('baz');
  await caller.getByRole('button', { name: 'Look up with caller' }).click();
  await jump(page, '2s');
  const log = page.getByRole('table', { name: /Event log/ });
  await expect(log.getByText('Name not found').first()).toBeVisible();
  await expect(counter(page.getByRole('article', { name: 'registry registry' }), 'registered')).toHaveText('1');
});

test('event sourcing built from empty appends events and projects them', async ({ page }) => {
  await openPlayground(page);
  await startEmpty(page);
  await add(page, 'Event store', 'profiles');
  await add(page, 'Projection', 'profile-view');
  const store = page.getByRole('article', { name: 'event store profiles' });
  await store.getByRole('button', { name: 'Append event to profiles' }).click();
  await store.getByLabel('Event data for profiles').fill('{"city": "Lyon"}');
  await store.getByRole('button', { name: 'Append event to profiles' }).click();
  await jump(page, '1s');
  await expect(counter(store, 'events')).toHaveText('2');
  await expect(counter(page.getByRole('article', { name: 'projection profile-view' }), 'applied')).toHaveText('2');
});

test('deleting an entity with traffic asks first and takes its dependents along', async ({ page }) => {
  await openPlayground(page);
  await startEmpty(page);
  await add(page, 'Queue', 'work');
  await add(page, 'Producer', 'jobs');
  await setProperty(page, 'Gap between messages', '100ms');
  await add(page, 'Consumer', 'worker');
  await jump(page, '1s');
  await page.getByRole('button', { name: 'Edit queue work' }).click();
  await properties(page).getByRole('button', { name: 'Delete work' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete queue work?' });
  await expect(dialog).toContainText('It has traffic');
  await expect(dialog).toContainText('producer jobs, consumer worker');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('article', { name: 'queue work' })).toBeVisible();
  await properties(page).getByRole('button', { name: 'Delete work' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('article', { name: 'queue work' })).toHaveCount(0);
  await expect(page.getByRole('article', { name: 'consumer worker' })).toHaveCount(0);
  await expect(page.getByText('The scenario is empty.')).toBeVisible();
});

test('a bad property value is explained beside its field and changes nothing', async ({ page }) => {
  await openPlayground(page);
  await startEmpty(page);
  await add(page, 'Queue', 'work');
  await add(page, 'Consumer', 'worker');
  await setProperty(page, 'Processing time', 'soon');
  const field = properties(page).getByLabel('Processing time', { exact: true });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(properties(page).locator('.field-error')).toContainText('soon');
  await setProperty(page, 'Failures (%)', '250');
  await expect(properties(page).locator('.field-error')).toContainText('percentage');
  await setProperty(page, 'Failures (%)', '10');
  await expect(properties(page).locator('.field-error')).toHaveCount(0);
});

test('clicking a message in the diagram shows its whole path; clicking an entity opens its properties', async ({ page }) => {
  await openPlayground(page);
  await startEmpty(page);
  await add(page, 'Queue', 'work');
  await add(page, 'Producer', 'jobs');
  await setProperty(page, 'Gap between messages', '1s');
  await setProperty(page, 'Messages in all', '1');
  await add(page, 'Consumer', 'worker');
  await setProperty(page, 'Processing time', '500ms');
  await jump(page, '1.2s');
  const diagram = page.getByRole('group', { name: 'Scenario diagram' });
  // The one message is being processed: its dot sits on the consumer's bottom edge, at the right.
  const worker = await diagram.locator('[data-entity="worker"] rect').first().boundingBox();
  const svg = await diagram.boundingBox();
  const scale = svg.width / Number((await diagram.getAttribute('viewBox')).split(' ')[2]);
  await page.mouse.click(worker.x + worker.width - 10 * scale, worker.y + worker.height);
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(inspector).toBeVisible();
  const path = inspector.getByRole('table', { name: /Path so far/ });
  await expect(path).toContainText('Published');
  await expect(path).toContainText('Delivered');
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText('1.2 s');
  // A click elsewhere on a box edits that entity.
  const queue = await diagram.locator('[data-entity="work"] rect').first().boundingBox();
  await page.mouse.click(queue.x + 20, queue.y + 10);
  await expect(page.getByRole('heading', { name: 'Properties of queue work' })).toBeVisible();
});

test('the timeline lanes zoom, pan and move the cursor where clicked', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: 'Broker: queues — Work queue with retries and a dead-letter queue' });
  await jump(page, '10s');
  const lanes = page.getByRole('region', { name: 'Timeline lanes' });
  const window = lanes.getByRole('status', { name: 'Visible window' });
  await expect(window).toHaveText('0 s – 10 s');
  await lanes.getByRole('button', { name: 'Zoom in' }).click();
  await expect(window).toHaveText('5 s – 10 s');
  await lanes.getByRole('button', { name: 'Earlier' }).click();
  await expect(window).toHaveText('2.5 s – 7.5 s');
  const canvas = lanes.getByRole('img', { name: /^Timeline lanes: 7 entities/ });
  const box = await canvas.boundingBox();
  // The plot starts after the 130-unit label column of a 900-unit-wide canvas: its middle is 5 s.
  const scale = box.width / 900;
  await page.mouse.click(box.x + (130 + 385) * scale, box.y + 40 * scale);
  // Within a pixel (5 s of window over 770 units) of the middle.
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText(/^(4\.99\d*|5(\.00\d*)?) s$/);
  await lanes.getByRole('button', { name: 'Whole run' }).click();
  await expect(window).toHaveText('0 s – 10 s');
});
