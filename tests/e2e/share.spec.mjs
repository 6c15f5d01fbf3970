// Sharing: the gallery, share links to a moment (and every way a link can be broken), export
// and import of scenario files (picker and drag and drop), autosave and restore.
import { test, expect, openPlayground } from './fixtures.mjs';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const clock = (page) => page.getByRole('status', { name: 'Virtual clock' });
const alert = (page) => page.getByRole('alert');
const title = (page) => page.locator('.scenario-title strong');

async function jump(page, time) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
}

function counter(card, name) {
  return card.locator('.counter').filter({ has: card.page().locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd');
}

async function copyLink(page) {
  await page.getByRole('button', { name: 'Copy link' }).click();
  const field = page.getByRole('textbox', { name: 'Share link' });
  await expect(field).toHaveValue(/#v1\./);
  return field.inputValue();
}

const presets = [
  ['Order events → SMS', 'Order events → SMS', null],
  ['Order status over a broker', 'Order status over a broker', 'consumer group order-system-group'],
  ['Work queue with a dead-letter queue', 'Work queue with retries and a dead-letter queue', 'queue work'],
  ['At-most, at-least and exactly once', 'At-most, at-least and exactly once under the same faults', 'consumer at-least-once'],
  ['Producer acks and leader failover', 'Producer acks, retries and the idempotent producer through leader failovers', 'producer acks-leader'],
  ['Dual write against the outbox', 'Dual write against the transactional outbox', 'service orders-outbox'],
  ['Exactly once with transactions', 'Exactly-once read-process-write with Kafka transactions', 'consumer convert-eos-1'],
  ['A network partition', 'A network partition during a rebalance and a registry heartbeat', 'consumer group billing'],
  ['Shop checkout', 'Shop checkout under a load ramp', 'service order-service'],
  ['Service discovery', 'Service discovery', 'registry registry'],
  ['Event sourcing: a user profile', null, 'event store profiles'],
  ['Order system: all five together', 'Order system: all five patterns together', 'service order-service'],
];

test('the gallery opens every preset, and each one\'s link reopens the same moment, selection and counters', async ({ page, context }) => {
  await openPlayground(page);
  const gallery = page.getByRole('region', { name: 'Start from an example' });
  await expect(gallery.getByRole('heading', { level: 3 })).toHaveCount(12);
  for (const [card, name, article] of presets) {
    if (!(await gallery.isVisible())) {
      await page.getByRole('button', { name: 'Examples' }).click();
    }
    await gallery.getByRole('button', { name: `Open ${card}` }).click();
    await expect(gallery).toBeHidden();
    if (name) await expect(title(page)).toHaveText(name);
    await jump(page, '3.5s');
    // Select entities by picking the newest record in the log (when anything happened yet).
    const rows = page.getByRole('table', { name: /Event log/ }).getByRole('button', { name: /^Move cursor to:/ });
    if (await rows.count()) await rows.first().click();
    const moment = await clock(page).textContent();
    const selected = await page.locator('.entity-card.selected h3').allTextContents();
    const counters = article ? await page.getByRole('article', { name: article }).locator('.counter').allTextContents() : [];
    const link = await copyLink(page);
    expect(link.length).toBeLessThan(2000);
    const fresh = await context.newPage();
    await fresh.goto(link);
    await expect(clock(fresh)).toHaveText(moment);
    if (name) await expect(title(fresh)).toHaveText(name);
    await expect(fresh.locator('.entity-card.selected h3')).toHaveText(selected);
    if (article) await expect(fresh.getByRole('article', { name: article }).locator('.counter')).toHaveText(counters);
    await expect(fresh.getByRole('region', { name: 'Start from an example' })).toBeHidden();
    await fresh.close();
  }
});

test('the address bar follows the scenario as it is edited, without adding history', async ({ page }) => {
  await openPlayground(page);
  const before = await page.evaluate(() => history.length);
  const commands = page.locator('.script li');
  const scripted = await commands.count();
  await page.getByRole('button', { name: 'Publish OrderPaid' }).click();
  await expect(page).toHaveURL(/#v1\./);
  const first = page.url();
  await jump(page, '1s');
  await page.getByRole('button', { name: 'Publish OrderShipped' }).click();
  await expect.poll(() => page.url()).not.toBe(first);
  expect(await page.evaluate(() => history.length)).toBe(before);
  // The link in the address reopens the edited scenario.
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  await expect(page.locator('.script li')).toHaveCount(scripted + 2);
});

const badLinks = [
  ['#hello-world', 'This link is not an EDA Playground scenario'],
  ['#v1.@@@@', 'is not allowed there (base64url)'],
  ['#v9.AAAAAAAA', 'made by a newer EDA Playground (link format v9)'],
];

test('every kind of bad link is named in an alert and the scenario on screen stays', async ({ page, baseURL }) => {
  await openPlayground(page);
  await page.getByRole('region', { name: 'Start from an example' }).getByRole('button', { name: 'Open Shop checkout' }).click();
  await expect(title(page)).toHaveText('Shop checkout under a load ramp');
  const good = await copyLink(page);
  const data = good.split('#v1.')[1];
  const cases = [
    ...badLinks,
    [`#v1.${data.slice(0, Math.floor(data.length / 2))}`, 'cut short'],
    // A changed character in the middle of the data: a checksum or a decoding failure.
    [`#v1.${data.slice(0, 20)}${data[20] === 'A' ? 'B' : 'A'}${data.slice(21)}`, 'The link is damaged'],
  ];
  for (const [fragment, message] of cases) {
    await page.evaluate((f) => { location.hash = f; }, fragment);
    await expect(alert(page)).toContainText(message);
    await expect(alert(page)).toContainText('The scenario on screen is unchanged.');
    await expect(title(page)).toHaveText('Shop checkout under a load ramp');
    await alert(page).getByRole('button', { name: 'Dismiss' }).click();
  }
  // Opening a bad link in a new page keeps the default scenario and says why.
  await page.goto('about:blank');
  await page.goto(`${baseURL}/#v1.@@@@`);
  await expect(alert(page)).toContainText('is not allowed there (base64url)');
  await expect(title(page)).toHaveText('Order events → SMS');
});

test('a link to an invalid scenario lists each problem with its JSON path', async ({ page }) => {
  // The link of a scenario whose consumer reads a queue that does not exist (made by the CLI's format).
  const link = readFileSync(new URL('../fixtures/invalid-consumer-queue.link', import.meta.url), 'utf8').trim();
  await openPlayground(page);
  await page.evaluate((f) => { location.hash = f; }, link);
  await expect(alert(page)).toContainText('scenario.broker.consumers[0].queue');
  await expect(title(page)).toHaveText('Order events → SMS');
});

test('a link the stricter loading rules refuse says why and opens a repaired copy on request', async ({ page }) => {
  // Made before names with invisible characters were refused: a queue named "jobs" + U+200B.
  const link = readFileSync(new URL('../fixtures/invisible-queue-name.link', import.meta.url), 'utf8').trim();
  await openPlayground(page);
  await page.evaluate((f) => { location.hash = f; }, link);
  await expect(alert(page)).toContainText('scenario.broker.queues[0].id: must not contain invisible or text-direction characters');
  await expect(alert(page)).toContainText('A repaired copy can be opened instead');
  await expect(title(page)).toHaveText('Order events → SMS');
  await alert(page).getByRole('button', { name: 'Open a repaired copy' }).click();
  await expect(title(page)).toHaveText('Jobs');
  await expect(page.getByRole('button', { name: 'Open a repaired copy' })).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Announcements' })).toContainText('Opened a repaired copy of the link');
});

test('export then import gives back the same scenario; bad files are refused by name', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('region', { name: 'Start from an example' }).getByRole('button', { name: 'Open Order status over a broker' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export scenario' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('order-status-over-a-broker.json');
  const exported = readFileSync(await download.path(), 'utf8');
  expect(JSON.parse(exported).name).toBe('Order status over a broker');
  await page.getByLabel('Example scenario').selectOption({ label: 'Event bus — Order events → SMS' });
  await expect(title(page)).toHaveText('Order events → SMS');
  const picker = page.getByLabel('Import scenario');
  for (const [file, message] of [
    [{ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('this is not json') }, 'notes.json was not imported: it is not JSON'],
    [{ name: 'empty.json', mimeType: 'application/json', buffer: Buffer.alloc(0) }, 'empty.json was not imported: the file is empty.'],
    [hugeFile(), 'huge.json was not imported: it is 50.0 MB'],
    [{ name: 'wrong.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, "broker": {"consumers": [{"id": "c", "queue": "q", "processing_time": {"constant": "1ms"}}]}}') }, 'broker.consumers[0].queue'],
  ]) {
    await picker.setInputFiles(file);
    await expect(alert(page)).toContainText(message);
    await expect(title(page)).toHaveText('Order events → SMS');
    await alert(page).getByRole('button', { name: 'Dismiss' }).click();
  }
  await picker.setInputFiles({ name: 'order-status.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await expect(title(page)).toHaveText('Order status over a broker');
  await expect(page.locator('[role="alert"]')).toHaveText('');
});

/** A 50 MB file of spaces on disk (Playwright passes big files by path). */
function hugeFile() {
  const path = join(mkdtempSync(join(tmpdir(), 'eda-e2e-')), 'huge.json');
  writeFileSync(path, Buffer.alloc(50 * 1024 * 1024, 32));
  return path;
}

test('a scenario file dropped on the page is imported', async ({ page }) => {
  await openPlayground(page);
  const text = readFileSync(new URL('../../docs/examples/queues.json', import.meta.url), 'utf8');
  const transfer = await page.evaluateHandle((json) => {
    const data = new DataTransfer();
    data.items.add(new File([json], 'queues.json', { type: 'application/json' }));
    return data;
  }, text);
  await page.locator('.workspace').dispatchEvent('dragover', { dataTransfer: transfer });
  await page.locator('.workspace').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(title(page)).toHaveText('Work queue with retries and a dead-letter queue');
});

test('the working scenario is saved, and reopening without a link offers to restore it', async ({ page, baseURL }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'New empty scenario' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Discard' }).click();
  const build = page.getByRole('region', { name: 'Build' });
  await build.getByLabel('Entity kind').selectOption({ label: 'Queue' });
  await build.getByLabel('Entity name').fill('saved-queue');
  await build.getByRole('button', { name: 'Add entity' }).click();
  await page.goto(`${baseURL}/`);
  const offer = page.getByRole('region', { name: 'Restore your last scenario?' });
  await expect(offer).toContainText('New scenario');
  // A bad link meanwhile leaves the autosave alone.
  await page.evaluate(() => { location.hash = '#v1.@@@@'; });
  await expect(alert(page)).toContainText('base64url');
  await page.goto('about:blank');
  await page.goto(`${baseURL}/`);
  await page.getByRole('region', { name: 'Restore your last scenario?' }).getByRole('button', { name: 'Restore' }).click();
  await expect(title(page)).toHaveText('New scenario');
  await expect(page.getByRole('article', { name: 'queue saved-queue' })).toBeVisible();
  // Declining keeps the example on screen.
  await page.goto('about:blank');
  await page.goto(`${baseURL}/`);
  await page.getByRole('region', { name: 'Restore your last scenario?' }).getByRole('button', { name: 'No, thanks' }).click();
  await expect(title(page)).toHaveText('Order events → SMS');
});
