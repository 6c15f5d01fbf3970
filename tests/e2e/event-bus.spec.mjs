// The event bus, driven as a new user would: by roles and accessible names only.
import { test, expect, openPlayground, nextFrames } from './fixtures.mjs';

test('a listener added from the UI and subscribed to OrderStateChanged receives a published OrderPaid', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('New listener name').fill('email');
  await page.getByRole('button', { name: 'Add listener' }).click();
  const email = page.getByRole('group', { name: 'Listener email' });
  await expect(email).toBeVisible();
  await email.getByRole('checkbox', { name: 'OrderStateChanged' }).check();
  await expect(email.getByRole('checkbox', { name: 'OrderStateChanged' })).toBeChecked();
  await page.getByRole('button', { name: 'Publish OrderPaid' }).click();

  const log = page.getByRole('table', { name: /Event log/ });
  const paidToEmail = log.getByRole('row').filter({ hasText: 'Delivered' }).filter({ hasText: 'OrderPaid' }).filter({ hasText: 'email' });
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < 30 && (await paidToEmail.count()) === 0; i++) await step.click();
  await expect(paidToEmail).toHaveCount(1);
  await expect(paidToEmail.getByRole('cell').first()).toHaveText('0.005 s');

  // The diagram counts what the log shows: OrderCreated and OrderPaid both reached email.
  const deliveredToEmail = await log.getByRole('row').filter({ hasText: 'Delivered' }).filter({ hasText: 'email' }).count();
  expect(deliveredToEmail).toBe(2);
  const diagram = page.getByRole('group', { name: 'Scenario diagram' });
  const emailNode = diagram.getByLabel(/^listener email: 2 delivered/);
  await expect(emailNode).toBeVisible();
  await expect(emailNode.getByText(/inbox \d+ · handled \d+/)).toBeVisible();
  await expect(email.getByText(/delivered 2/)).toBeVisible();

  // The README's picture: the page without the gallery, from the top.
  await page.getByRole('button', { name: 'Close gallery' }).click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: '../../docs/screenshot.png' });
});

test('play moves the virtual clock, pause stops it, reset returns to zero', async ({ page }) => {
  await openPlayground(page);
  const clockValue = page.getByRole('status', { name: 'Virtual clock' });
  await expect(clockValue).toHaveText('0 s');
  await page.getByRole('slider', { name: 'Speed' }).fill('8'); // 100×
  await page.getByRole('button', { name: 'Play' }).click();
  // One button: it says Pause while playing.
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play' })).toHaveCount(0);
  await expect(clockValue).not.toHaveText('0 s');
  // The seed example: three SMS are handled within 3 virtual seconds.
  const handledBySms = page.getByRole('table', { name: /Event log/ }).getByRole('row').filter({ hasText: 'Handled' }).filter({ hasText: 'sms' });
  await expect(handledBySms).toHaveCount(3);
  await page.getByRole('button', { name: 'Pause' }).click();
  const paused = await clockValue.textContent();
  await nextFrames(page);
  await expect(clockValue).toHaveText(paused);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(clockValue).toHaveText('0 s');
  await expect(page.getByRole('table', { name: /Event log/ }).getByRole('row')).toHaveCount(1); // header only
});

test('keyboard: the right arrow steps and space plays and pauses', async ({ page }) => {
  await openPlayground(page);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('status', { name: 'Announcements' })).toContainText('Published OrderCreated #0');
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
});

test('a taken name is refused beside its field and nothing is lost; removing a listener works', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('New listener name').fill('sms');
  await page.getByRole('button', { name: 'Add listener' }).click();
  await expect(page.getByText('The name "sms" is already used by a listener.')).toBeVisible();
  await expect(page.getByRole('group', { name: /^Listener / })).toHaveCount(1);

  await page.getByRole('button', { name: 'Add listener' }).click(); // empty name: a fresh one is chosen
  await expect(page.getByRole('group', { name: 'Listener listener-1' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove listener listener-1' }).click();
  await expect(page.getByRole('group', { name: 'Listener listener-1' })).toHaveCount(0);

  const processing = page.getByRole('group', { name: 'Listener sms' }).getByLabel('Processing time (ms)');
  await processing.fill('-5');
  await processing.press('Enter');
  await expect(page.getByText('Processing time of sms: "-5" is not a whole number of milliseconds.')).toBeVisible();
  await processing.fill('250');
  await processing.press('Enter');
  await expect(page.getByText(/is not a whole number/)).toHaveCount(0);
  await expect(processing).toHaveValue('250');
});

test('unsubscribing mid-run is a timed command: later events are not delivered', async ({ page }) => {
  await openPlayground(page);
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < 3; i++) await step.click(); // OrderCreated published, delivered, handled
  await page.getByRole('group', { name: 'Listener sms' }).getByRole('checkbox', { name: 'OrderStateChanged' }).uncheck();
  await expect(page.getByRole('region', { name: 'Timed commands' }).getByText(/^at 0\.\d+ s: sms unsubscribes from OrderStateChanged$/)).toBeVisible();
  await page.getByRole('slider', { name: 'Speed' }).fill('8');
  await page.getByRole('button', { name: 'Play' }).click();
  const unrouted = page.getByRole('table', { name: /Event log/ }).getByRole('row').filter({ hasText: 'Unrouted' });
  await expect(unrouted).toHaveCount(2); // OrderPaid and OrderShipped found no subscriber
  await page.getByRole('button', { name: 'Pause' }).click();
});

test('? lists the shortcuts, Escape closes the list, + and − change the speed', async ({ page }) => {
  await openPlayground(page);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Step back: undo one event');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  const speed = page.getByRole('slider', { name: 'Speed' });
  await expect(speed).toHaveAttribute('aria-valuetext', '1×');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await expect(speed).toHaveAttribute('aria-valuetext', '10×');
  await page.keyboard.press('-');
  await expect(speed).toHaveAttribute('aria-valuetext', '3×');
  // After clicking Step, the arrow keys still work (focus on a button is not typing).
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText('0.005 s');
  await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).click();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
});

test('the diagram exports as SVG and as PNG', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const [svgDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export diagram as SVG' }).click(),
  ]);
  expect(svgDownload.suggestedFilename()).toBe('eda-diagram.svg');
  const svg = await (await svgDownload.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  expect(svg).toContain('<svg');
  expect(svg).toContain('order-system');
  expect(svg).toContain('<style>');
  const [pngDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export diagram as PNG' }).click(),
  ]);
  expect(pngDownload.suggestedFilename()).toBe('eda-diagram.png');
  const png = await (await pngDownload.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks));
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  expect(png.length).toBeGreaterThan(2_000);
});
