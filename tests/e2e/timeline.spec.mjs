// Moving along the timeline: step back, jump to a time, drag the scrubber; what the page shows
// is the state of the run at that instant.
import { test, expect, openPlayground } from './fixtures.mjs';

const handledRows = (page) =>
  page.getByRole('table', { name: /Event log/ }).getByRole('row').filter({ hasText: 'Handled' });

test('step back undoes one event, by button and by the left arrow', async ({ page }) => {
  await openPlayground(page);
  const clock = page.getByRole('status', { name: 'Virtual clock' });
  const step = page.getByRole('button', { name: 'Step', exact: true });
  const stepBack = page.getByRole('button', { name: 'Step back' });
  await expect(stepBack).toBeDisabled();
  for (let i = 0; i < 3; i++) await step.click();
  const afterThree = await clock.textContent();
  const rowsAfterThree = await page.getByRole('table', { name: /Event log/ }).getByRole('row').count();
  await step.click();
  await expect(clock).not.toHaveText(afterThree);
  await stepBack.click();
  await expect(clock).toHaveText(afterThree);
  await expect(page.getByRole('table', { name: /Event log/ }).getByRole('row')).toHaveCount(rowsAfterThree);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('status', { name: 'Announcements' })).toContainText('Stepped back to');
  await page.keyboard.press('ArrowLeft');
  await expect(clock).toHaveText('0 s');
  await expect(stepBack).toBeDisabled();
});

test('jump to a time shows the run as it was then, and a bad time is refused beside the field', async ({ page }) => {
  await openPlayground(page);
  const clock = page.getByRole('status', { name: 'Virtual clock' });
  await page.getByLabel('Jump to time').fill('1.5s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(clock).toHaveText('1.5 s');
  // OrderCreated (0 s) and OrderPaid (1 s) have been handled; OrderShipped (2 s) not yet.
  await expect(handledRows(page)).toHaveCount(2);
  await expect(handledRows(page).filter({ hasText: 'OrderShipped' })).toHaveCount(0);

  await page.getByLabel('Jump to time').fill('later');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(page.getByText('duration "later" has unknown unit "later"')).toBeVisible();
  await expect(clock).toHaveText('1.5 s');

  await page.getByLabel('Jump to time').fill('0.5s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(clock).toHaveText('0.5 s');
  await expect(handledRows(page)).toHaveCount(1);
});

test('dragging the timeline moves the cursor both ways', async ({ page }) => {
  await openPlayground(page);
  const clock = page.getByRole('status', { name: 'Virtual clock' });
  await page.getByLabel('Jump to time').fill('3s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(clock).toHaveText('3 s');
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  await timeline.fill('2100000');
  await expect(clock).toHaveText('2.1 s');
  await expect(page.getByRole('table', { name: /Event log/ }).getByRole('row').filter({ hasText: 'Published' }).filter({ hasText: 'OrderShipped' })).toHaveCount(1);
  await timeline.fill('1000');
  await expect(clock).toHaveText('0.001 s');
  await expect(handledRows(page)).toHaveCount(0);
});

test('the event list filters by entity and text, and clicking an event moves the cursor there', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Jump to time').fill('3s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await page.getByLabel('Filter by entity').selectOption('sms');
  await page.getByLabel('Filter events').fill('Delivered');
  const log = page.getByRole('table', { name: /Event log/ });
  await expect(log.getByRole('row')).toHaveCount(4); // header + three deliveries to sms
  await log.getByRole('button', { name: /^Move cursor to: Delivered OrderPaid #1/ }).click();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText('1.005 s');
  await expect(log.getByRole('row')).toHaveCount(3); // OrderShipped not delivered yet
  // The inspector shows the picked event and the path of OrderPaid #1 so far.
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(inspector).toContainText('OrderPaid #1');
  const path = inspector.getByRole('table', { name: /Path so far/ });
  await expect(path.getByRole('row').nth(1)).toContainText('Published');
  await expect(path.getByRole('row').filter({ hasText: 'Dispatched' })).toHaveCount(1);
  await expect(path.getByRole('row').filter({ hasText: 'Delivered' })).toHaveCount(1);
  await inspector.getByRole('button', { name: 'Close inspector' }).click();
  await expect(inspector).toHaveCount(0);
});

test('jumping to the instant a step stopped inside runs the rest of it, and stepping back still works', async ({ page }) => {
  await openPlayground(page);
  // Service discovery: providers register at time 0, several events at one instant.
  const picker = page.getByLabel('Example scenario');
  await picker.selectOption(await picker.locator('option', { hasText: 'Service discovery' }).first().getAttribute('value'));
  await expect(page.locator('.run-facts')).toContainText('0 events processed');
  const clock = page.getByRole('status', { name: 'Virtual clock' });
  const facts = page.locator('.run-facts');
  const processed = async () => Number((await facts.textContent()).match(/(\d+) events? processed/)[1]);
  // Step until the next event is due at the very instant the clock shows: the cursor then
  // stands between two events of one instant, at the end of the run so far.
  let instant = null;
  for (let i = 0; i < 40 && instant === null; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(facts).toContainText(`${i + 1} events processed`);
    const now = (await clock.textContent()).trim();
    if ((await facts.textContent()).includes(`next event at ${now}`)) instant = now;
  }
  expect(instant, 'the example has events sharing an instant').not.toBeNull();
  const before = await processed();
  await page.getByLabel('Jump to time').fill(instant);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(clock).toHaveText(instant);
  await expect(facts).not.toContainText(`next event at ${instant}`);
  const after = await processed();
  expect(after).toBeGreaterThan(before);
  // The rest of the instant was recorded: stepping back undoes one event, and the log follows.
  const log = page.getByRole('table', { name: /Event log/ });
  const rows = await log.getByRole('row').count();
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(facts).toContainText(`${after - 1} events processed`);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(facts).toContainText(`${after} events processed`);
  await expect(log.getByRole('row')).toHaveCount(rows);
  await expect(page.locator('.alert[role=alert]')).toBeEmpty();
});
