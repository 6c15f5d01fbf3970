// The diagram as a person sees and handles it: messages visibly moving in every example, nodes
// dragged and kept in the link, built with the palette, walked with the keyboard, a modal
// question, a phone-sized page, and an export that looks like the screen.
import { test, expect, openPlayground, nextFrames } from './fixtures.mjs';
import { readFileSync } from 'node:fs';

const EXAMPLES = ['order-events-sms', 'topics', 'queues', 'delivery-guarantees', 'producer-acks', 'dual-write-outbox', 'exactly-once-transactions', 'network-partition', 'request-reply', 'service-discovery', 'event-sourcing', 'order-system'];

async function choose(page, id) {
  await page.locator('.preset-picker select').selectOption(id);
  await expect(page.locator('.run-facts')).toContainText('0 events processed');
}

/** Waits `frames` animation frames of the page (the player advances by each frame's wall time). */
async function frames(page, count) {
  await page.evaluate((n) => new Promise((done) => {
    let left = n;
    const next = () => (--left <= 0 ? done() : requestAnimationFrame(next));
    requestAnimationFrame(next);
  }), count);
}

const node = (page, name) => page.locator(`g.node[data-entity="${name}"]`);
async function place(page, name) {
  const box = node(page, name).locator('rect.box');
  return { x: Number(await box.getAttribute('x')), y: Number(await box.getAttribute('y')) };
}

for (const id of EXAMPLES) {
  test(`pressing Play in ${id} shows messages moving in most of 30 samples`, async ({ page }, testInfo) => {
    await openPlayground(page);
    await choose(page, id);
    await page.screenshot({ path: testInfo.outputPath(`${id}-paused.png`) });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(page.locator('figure.diagram')).toHaveClass(/playing/);
    let moving = 0;
    for (let i = 0; i < 30; i++) {
      await frames(page, 6);
      if (Number(await page.locator('canvas.flow-canvas').getAttribute('data-moving')) > 0) moving++;
      if (i === 15) await page.screenshot({ path: testInfo.outputPath(`${id}-playing.png`) });
    }
    expect(moving, `${id}: samples with a message on its way`).toBeGreaterThanOrEqual(20);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(page.locator('figure.diagram')).toHaveClass(/paused/);
  });
}

test('a dragged node stays where it was left, in a copied link opened elsewhere, until Tidy layout', async ({ page, browser }) => {
  await openPlayground(page);
  await choose(page, 'queues');
  const before = await place(page, 'parked');
  const box = await node(page, 'parked').locator('rect.box').boundingBox();
  await page.mouse.move(box.x + 40, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + 60, { steps: 5 });
  await page.mouse.move(box.x + 140, box.y + 120, { steps: 5 });
  await page.mouse.up();
  const after = await place(page, 'parked');
  expect(after.x).toBeGreaterThan(before.x + 50);
  expect(after.y).toBeGreaterThan(before.y + 50);
  // A drag is not a click: the node's properties did not open.
  await expect(page.getByRole('heading', { name: 'Properties of queue parked' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  const context = await browser.newContext();
  const fresh = await context.newPage();
  await fresh.goto(link);
  await expect(node(fresh, 'parked')).toBeVisible();
  expect(await place(fresh, 'parked')).toEqual(after);
  await context.close();

  await page.getByRole('button', { name: 'Tidy layout' }).click();
  expect(await place(page, 'parked')).toEqual(before);
  await expect(page.getByRole('button', { name: 'Tidy layout' })).toBeDisabled();
});

test('the frozen link with positions opens with its nodes where they were placed and the same run', async ({ page }) => {
  const frozen = readFileSync(new URL('../fixtures/links/v1-queues-positions.txt', import.meta.url), 'utf8').trim();
  const plain = readFileSync(new URL('../fixtures/links/v1-queues.txt', import.meta.url), 'utf8').trim();
  await page.goto('/' + plain);
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText('5 s');
  const hash = (await page.locator('.run-facts').textContent()).match(/trace ([0-9a-f]{16})/)[1];
  await page.goto('about:blank');
  await page.goto('/' + frozen);
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText('5 s');
  expect(await place(page, 'parked')).toEqual({ x: 700, y: 40 });
  expect(await place(page, 'scheduler')).toEqual({ x: 40, y: 300 });
  await expect(page.locator('.run-facts')).toContainText(`trace ${hash}`);
});

test('the palette adds each kind with a fresh name, and the form suggests what the scenario lacks', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'New empty scenario' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Discard' }).click();
  const build = page.getByRole('region', { name: 'Build' });
  // No event bus, so no event-bus panels.
  await expect(page.getByRole('heading', { name: 'Publish' })).toHaveCount(0);
  await expect(build.getByLabel('Entity kind')).toHaveValue('producer');
  await page.getByRole('button', { name: 'Add queue' }).click();
  await expect(page.getByRole('heading', { name: 'Properties of queue queue-1' })).toBeVisible();
  await expect(build.getByLabel('Entity kind')).toHaveValue('producer');
  await page.getByRole('button', { name: 'Add producer' }).click();
  await expect(page.getByRole('heading', { name: 'Properties of producer producer-1' })).toBeVisible();
  await expect(build.getByLabel('Entity kind')).toHaveValue('consumer');
  await page.getByRole('button', { name: 'Add consumer' }).click();
  await expect(node(page, 'consumer-1')).toBeVisible();
  await page.getByRole('button', { name: 'Add service' }).click();
  await expect(build.getByLabel('Entity kind')).toHaveValue('client');
  for (const name of ['producer-1', 'queue-1', 'consumer-1', 'service-1']) await expect(node(page, name)).toBeVisible();
});

test('binding keys are written on the links and partitions show their owners', async ({ page }) => {
  await openPlayground(page);
  await choose(page, 'queues');
  await expect(page.locator('g.link[data-from="jobs"][data-to="work"] .edge-key')).toHaveText('job.#');
  await choose(page, 'topics');
  await page.getByLabel('Jump to time').fill('3s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  const topic = node(page, 'order-topic');
  await expect(topic.locator('g.partition')).toHaveCount(3);
  await expect(topic.locator('g.partition circle.owner:not(.none)')).toHaveCount(3);
  await expect(topic.locator('g.partition title').first()).toContainText(/owned by sms-\d/);
  await expect(node(page, 'sms-1').getByText(/^owns p/)).toBeVisible();
});

test('arrow keys walk the nodes without stepping the run, Alt+arrows move one, Enter opens it', async ({ page }) => {
  await openPlayground(page);
  await choose(page, 'queues');
  await node(page, 'scheduler').focus();
  await page.keyboard.press('ArrowRight');
  await expect(node(page, 'jobs')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(node(page, 'work')).toBeFocused();
  await expect(page.locator('.run-facts')).toContainText('0 events processed');
  const before = await place(page, 'work');
  await page.keyboard.press('Alt+ArrowDown');
  await page.keyboard.press('Alt+ArrowDown');
  expect(await place(page, 'work')).toEqual({ x: Math.round(before.x), y: Math.round(before.y) + 20 });
  await expect(node(page, 'work')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Properties of queue work' })).toBeVisible();
});

test('skip links take the focus to the diagram and to the event log', async ({ page }) => {
  await openPlayground(page);
  await page.keyboard.press('Tab');
  const toDiagram = page.getByRole('link', { name: 'Skip to the diagram' });
  await expect(toDiagram).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#diagram')).toBeFocused();
  await page.getByRole('link', { name: 'Skip to the event log' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#event-log')).toBeFocused();
  expect(new URL(page.url()).hash).toBe('');
});

test('a confirmation is modal: focus is inside it, Escape cancels, focus goes back', async ({ page }) => {
  await openPlayground(page);
  const start = page.getByRole('button', { name: 'New empty scenario' });
  await start.click();
  const dialog = page.getByRole('alertdialog', { name: 'Start an empty scenario?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  expect(await dialog.evaluate((d) => d.matches(':modal'))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(start).toBeFocused();
  await expect(node(page, 'sms')).toBeVisible();
});

test('at 390 px wide nothing scrolls sideways and no two labels of a node overlap', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openPlayground(page);
  for (const id of EXAMPLES) {
    await choose(page, id);
    await page.getByLabel('Jump to time').fill('2s');
    await page.getByRole('button', { name: 'Jump', exact: true }).click();
    await nextFrames(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), id).toBeLessThanOrEqual(390);
    const overlaps = await page.evaluate(() => {
      const found = [];
      for (const g of document.querySelectorAll('g.node')) {
        const texts = [...g.querySelectorAll(':scope > text')].map((t) => [t.textContent, t.getBoundingClientRect()]);
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) {
            const [a, ra] = texts[i];
            const [b, rb] = texts[j];
            const apart = ra.right <= rb.left + 0.5 || rb.right <= ra.left + 0.5 || ra.bottom <= rb.top + 0.5 || rb.bottom <= ra.top + 0.5;
            if (!apart) found.push(`${g.dataset.entity}: "${a}" / "${b}"`);
          }
          const box = g.querySelector('rect.box').getBoundingClientRect();
          const [t, r] = texts[i];
          if (r.right > box.right + 0.5) found.push(`${g.dataset.entity}: "${t}" runs out of its box`);
          if (r.height < 11) found.push(`${g.dataset.entity}: "${t}" is ${r.height} px tall`);
        }
      }
      return found;
    });
    expect(overlaps, id).toEqual([]);
  }
});

test('the exported SVG looks like the diagram on screen, in both themes', async ({ page }) => {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await openPlayground(page);
    await choose(page, 'order-system');
    await nextFrames(page);
    const svg = page.locator('figure.diagram svg');
    const shot = (await svg.screenshot()).toString('base64');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export diagram as SVG' }).click(),
    ]);
    const exported = readFileSync(await download.path(), 'utf8');
    const size = await svg.boundingBox();
    const difference = await page.evaluate(async ({ shot, exported, width, height }) => {
      const load = (src) => new Promise((done, fail) => {
        const image = new Image();
        image.onload = () => done(image);
        image.onerror = fail;
        image.src = src;
      });
      const pixels = async (src) => {
        const canvas = document.createElement('canvas');
        canvas.width = Math.round(width);
        canvas.height = Math.round(height);
        const context = canvas.getContext('2d');
        context.drawImage(await load(src), 0, 0, canvas.width, canvas.height);
        return context.getImageData(0, 0, canvas.width, canvas.height).data;
      };
      const a = await pixels(`data:image/png;base64,${shot}`);
      const b = await pixels(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(exported)}`);
      let total = 0;
      let far = 0;
      for (let i = 0; i < a.length; i += 4) {
        const d = (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2])) / 3;
        total += d;
        if (d > 64) far++;
      }
      return { mean: total / (a.length / 4), far: far / (a.length / 4) };
    }, { shot, exported, width: size.width, height: size.height });
    expect(difference.mean, `${scheme}: mean difference per pixel`).toBeLessThan(6);
    expect(difference.far, `${scheme}: share of very different pixels`).toBeLessThan(0.03);
  }
});

/** Drags from the port of one node (or with Shift, from its middle) to the middle of another. */
async function drawLink(page, from, to, { shift = false } = {}) {
  await node(page, from).scrollIntoViewIfNeeded();
  const start = shift
    ? await node(page, from).locator('rect.box').boundingBox()
    : await node(page, from).locator('circle.port').boundingBox();
  const end = await node(page, to).locator('rect.box').boundingBox();
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 4 });
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 4 });
  await page.mouse.up();
  if (shift) await page.keyboard.up('Shift');
}

test('a broker built by drawing links: bindings ask for their key and show it, links follow the flow', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'New empty scenario' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Discard' }).click();
  for (const kind of ['exchange', 'queue', 'consumer', 'producer']) await page.getByRole('button', { name: `Add ${kind}` }).click();
  await expect(node(page, 'producer-1')).toBeVisible();

  // Exchange → queue: a binding, with the key asked for in a modal dialog.
  await drawLink(page, 'exchange-1', 'queue-1');
  const dialog = page.getByRole('dialog', { name: 'Bind queue-1 to exchange-1' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Binding key')).toBeFocused();
  await dialog.getByLabel('Binding key').fill('job.#');
  await dialog.getByRole('button', { name: 'Bind' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('g.link[data-from="exchange-1"][data-to="queue-1"] .edge-key')).toHaveText('job.#');

  // Producer → exchange, and (with Shift, from anywhere on the node) queue → consumer.
  await drawLink(page, 'producer-1', 'exchange-1');
  await expect(page.locator('g.link[data-from="producer-1"][data-to="exchange-1"]')).toHaveCount(1);
  await drawLink(page, 'queue-1', 'consumer-1', { shift: true });
  await expect(page.locator('g.link[data-from="queue-1"][data-to="consumer-1"]')).toHaveCount(1);

  // Something that cannot be linked is refused with a reason, and nothing changes.
  await drawLink(page, 'producer-1', 'consumer-1');
  await expect(page.getByRole('alert')).toContainText('producer-1 and consumer-1 were not linked: a producer and a consumer cannot be linked');
  await expect(page.locator('g.link[data-from="producer-1"][data-to="consumer-1"]')).toHaveCount(0);

  // From the keyboard: L on a node, then Enter on the other.
  await page.getByRole('button', { name: 'Add queue' }).click();
  await node(page, 'queue-1').focus();
  await page.keyboard.press('l');
  await expect(page.getByText(/^Linking from queue-1/)).toBeVisible();
  await node(page, 'queue-2').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('g.link[data-from="queue-1"][data-to="queue-2"]')).toHaveCount(1);
});

test('the entity being edited has its actions beside its node', async ({ page }) => {
  await openPlayground(page);
  await choose(page, 'queues');
  await page.getByLabel('Jump to time').fill('1s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await node(page, 'worker-1').locator('rect.box').click();
  const actions = page.getByRole('group', { name: 'Actions on worker-1' });
  await actions.getByRole('button', { name: 'worker-1: crash' }).click();
  await expect(node(page, 'worker-1')).toHaveClass(/down/);
  await actions.getByRole('button', { name: 'worker-1: restart' }).click();
  await expect(node(page, 'worker-1')).not.toHaveClass(/down/);
});

// Pictures of every example at three moments and three screen sizes, kept with the test results
// (test-results/) for a person to look at; the checks are the other tests'.
const SIZES = [[1440, 900], [1280, 720], [390, 844]];
for (const [width, height] of SIZES) {
  test(`screenshots of every example at ${width}×${height}: loaded, playing, later`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width, height });
    await openPlayground(page);
    for (const id of EXAMPLES) {
      await choose(page, id);
      await page.screenshot({ path: testInfo.outputPath(`${id}-${width}-1-loaded.png`) });
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await frames(page, 45);
      await page.screenshot({ path: testInfo.outputPath(`${id}-${width}-2-playing.png`) });
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.getByLabel('Jump to time').fill(id === 'event-sourcing' ? '3d' : '12s');
      await page.getByRole('button', { name: 'Jump', exact: true }).click();
      await nextFrames(page);
      await page.screenshot({ path: testInfo.outputPath(`${id}-${width}-3-later.png`) });
      expect(await page.evaluate(() => document.documentElement.scrollWidth), id).toBeLessThanOrEqual(width);
    }
  });
}

test('panels fold away to their heading and open again; the shortcuts list takes and gives back the focus', async ({ page }) => {
  await openPlayground(page);
  await choose(page, 'request-reply');
  await page.getByLabel('Jump to time').fill('5s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  const charts = page.getByRole('region', { name: 'Charts' });
  await expect(charts.getByRole('group', { name: 'Chart: Throughput' })).toBeVisible();
  await charts.getByRole('button', { name: 'Collapse panel' }).click();
  await expect(charts.getByRole('group', { name: 'Chart: Throughput' })).toBeHidden();
  await expect(charts.getByRole('heading', { name: 'Charts' })).toBeVisible();
  await expect(charts.getByRole('button', { name: 'Expand panel' })).toHaveAttribute('aria-expanded', 'false');
  await charts.getByRole('button', { name: 'Expand panel' }).click();
  await expect(charts.getByRole('group', { name: 'Chart: Throughput' })).toBeVisible();

  const help = page.getByRole('button', { name: 'Keyboard shortcuts (?)' });
  await help.click();
  const list = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(list.getByRole('button', { name: 'Close' })).toBeFocused();
  await expect(list).toContainText('Move the node');
  await page.keyboard.press('Escape');
  await expect(list).toHaveCount(0);
  await expect(help).toBeFocused();
});

test('the diagram zooms and pans from the keyboard without touching the run', async ({ page }) => {
  await openPlayground(page);
  await choose(page, 'order-system');
  const view = page.getByRole('group', { name: /^Diagram view/ });
  const level = page.getByRole('status', { name: 'Diagram zoom level' });
  await view.focus();
  await page.keyboard.press('z');
  await expect(level).not.toHaveText('fitted');
  const zoomed = await page.locator('.diagram-surface').evaluate((e) => e.getBoundingClientRect().width);
  await page.keyboard.press('ArrowRight');
  expect(await view.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
  await expect(page.locator('.run-facts')).toContainText('0 events processed');
  await page.keyboard.press('Shift+Z');
  expect(await page.locator('.diagram-surface').evaluate((e) => e.getBoundingClientRect().width)).toBeLessThan(zoomed);
  await page.keyboard.press('0');
  await expect(level).toHaveText('fitted');
});

test('a node dropped on another links the two and goes back where it was', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'New empty scenario' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Discard' }).click();
  for (const kind of ['queue', 'queue', 'consumer']) await page.getByRole('button', { name: `Add ${kind}` }).click();
  await expect(page.locator('g.link[data-from="queue-1"][data-to="consumer-1"]')).toHaveCount(1);
  await node(page, 'consumer-1').scrollIntoViewIfNeeded();
  const before = await place(page, 'consumer-1');
  const from = await node(page, 'consumer-1').locator('rect.box').boundingBox();
  const to = await node(page, 'queue-2').locator('rect.box').boundingBox();
  await page.mouse.move(from.x + 30, from.y + 20);
  await page.mouse.down();
  await page.mouse.move(to.x + 30, to.y + 20, { steps: 8 });
  await page.mouse.up();
  await expect(page.locator('g.link[data-from="queue-2"][data-to="consumer-1"]')).toHaveCount(1);
  await expect(page.locator('g.link[data-from="queue-1"][data-to="consumer-1"]')).toHaveCount(0);
  expect(await place(page, 'consumer-1')).toEqual(before);
});

test('a long jump goes on over the frames with its progress shown, and ends where asked', async ({ page }) => {
  await openPlayground(page);
  await choose(page, 'request-reply');
  await page.getByLabel('Jump to time').fill('10min');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  const jumping = page.getByRole('status', { name: 'Jump in progress' });
  await expect(jumping).toBeVisible();
  await expect(jumping.getByRole('button', { name: 'Stop jumping' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText('10 min 0 s', { timeout: 60_000 });
  await expect(jumping).toHaveCount(0);
  await expect(page.locator('.alert-text')).toHaveCount(0);
});
