// Guided lessons, as a learner and a teacher use them: every built-in lesson is completed by
// following its own steps, each goal refused before the step is done and accepted after; a goal
// reached with the ordinary controls; step links, completion kept across visits, lesson files
// and broken links.
import { test, expect, openPlayground } from './fixtures.mjs';
import { readFileSync, readdirSync } from 'node:fs';

const lessonsDir = new URL('../../docs/lessons/', import.meta.url);
const LESSONS = readdirSync(lessonsDir).map((f) => JSON.parse(readFileSync(new URL(f, lessonsDir), 'utf8')));

const panel = (page) => page.getByRole('region', { name: /^Step \d+ of \d+/ });
const goalStatus = (page) => panel(page).getByRole('group', { name: 'Goal' }).locator('.goal-status');

async function startLesson(page, title) {
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.getByRole('button', { name: new RegExp(`^(Start|Continue|Again) lesson: ${title}$`) }).click();
}

test('there are at least eight lessons, following the article from synchronous calls to event sourcing', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  const list = page.getByRole('region', { name: 'Guided lessons' });
  await expect(list.getByRole('listitem')).toHaveCount(LESSONS.length);
  expect(LESSONS.length).toBeGreaterThanOrEqual(8);
  await expect(list.getByRole('heading', { level: 3 }).first()).toHaveText('1. Synchronous and asynchronous calls');
  await list.getByRole('button', { name: 'Close lessons' }).click();
  await expect(list).toHaveCount(0);
});

for (const lesson of LESSONS) {
  test(`lesson "${lesson.title}" is completed by following its steps`, async ({ page }) => {
    await openPlayground(page);
    await startLesson(page, lesson.title);
    for (const [i, step] of lesson.steps.entries()) {
      await expect(panel(page).getByRole('heading', { level: 2 })).toHaveText(
        `Step ${i + 1} of ${lesson.steps.length}: ${step.title}`,
      );
      // The step is about these entities: the diagram marks them.
      for (const name of step.highlight ?? []) {
        await expect(page.locator(`g.node[data-entity="${name}"]`)).toHaveClass(/lesson-focus/);
      }
      // Refused before the step is done, with the reason.
      await panel(page).getByRole('button', { name: 'Check goal' }).click();
      await expect(goalStatus(page)).toHaveText(/Not yet/);
      await expect(page.getByRole('status', { name: 'Announcements' })).toHaveText(/^Not yet/);
      await expect(panel(page).locator('.goal-lines .unmet').first()).toBeVisible();
      if (step.hints?.length) {
        await panel(page).getByRole('button', { name: /^Hint/ }).click();
        await expect(panel(page).getByRole('list', { name: 'Hints' })).toContainText(step.hints[0]);
      }
      // Done by the step's own moves: accepted after.
      await panel(page).getByRole('button', { name: 'Show me' }).click();
      await expect(goalStatus(page)).toHaveText('✓ Goal reached');
      await expect(panel(page).locator('.goal-lines .unmet')).toHaveCount(0);
      await expect(panel(page).getByRole('button', { name: `Step ${i + 1}: ${step.title} (done)` })).toBeVisible();
      if (i + 1 < lesson.steps.length) await panel(page).getByRole('button', { name: 'Next step' }).click();
    }
    await expect(panel(page)).toContainText('Lesson complete');
    // The list says so too.
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await expect(page.getByRole('button', { name: `Again lesson: ${lesson.title}` })).toBeVisible();
  });
}

test('a goal is reached with the ordinary controls: workers in the properties, then Jump', async ({ page }) => {
  await openPlayground(page);
  await startLesson(page, 'Request-response and the throughput bottleneck');
  await panel(page).getByRole('button', { name: 'Step 2: Keep p99 under 200 ms' }).click();
  await expect(goalStatus(page)).toHaveText(/Not yet/);
  await page.locator('g.node[data-entity="order-service"]').click();
  const properties = page.getByRole('region', { name: /^Properties of / });
  const workers = properties.getByLabel('Workers', { exact: true });
  await workers.fill('6');
  await workers.press('Tab');
  await page.getByLabel('Jump to time').fill('60s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  // p99 is fine, but six workers break the rule of at most four.
  await expect(goalStatus(page)).toHaveText(/Not yet/);
  await expect(panel(page).locator('.goal-lines .unmet').filter({ hasText: 'workers' })).toContainText(
    "order-service's workers is at most 4 (now 6)",
  );
  await expect(panel(page).locator('.goal-lines .met').filter({ hasText: 'response_ms_p99' })).toBeVisible();
  await workers.fill('4');
  await workers.press('Tab');
  await expect(goalStatus(page)).toHaveText('✓ Goal reached');
});

test('a step link reopens the lesson at that step, and steps done are kept across visits', async ({ page }) => {
  await openPlayground(page);
  await startLesson(page, 'Synchronous and asynchronous calls');
  await panel(page).getByRole('button', { name: 'Show me' }).click();
  await expect(goalStatus(page)).toHaveText('✓ Goal reached');
  await panel(page).getByRole('button', { name: 'Next step' }).click();
  await panel(page).getByRole('button', { name: 'Copy step link' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toContain('#lesson1.');
  expect(page.url()).toContain('#lesson1.');
  await page.goto('about:blank');
  await page.goto(link);
  await expect(panel(page).getByRole('heading', { level: 2 })).toHaveText('Step 2 of 3: The other side goes down');
  // Opened where step 1's moves leave the run, the goal not yet met.
  await expect(page.getByRole('status', { name: 'Virtual clock' }).or(page.locator('.clock-value'))).toHaveText('10 s');
  await expect(goalStatus(page)).toHaveText(/Not yet/);
  await expect(panel(page).getByRole('button', { name: 'Step 1: A synchronous call waits (done)' })).toBeVisible();
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Guided lessons' })).toContainText('1 of 3 steps done');
});

test('a teacher shares a lesson as a file; a broken file or link is refused with the reason', async ({ page }) => {
  await openPlayground(page);
  const own = { ...LESSONS.find((l) => l.id === 'event-bus'), id: 'my-bus-lesson', title: 'My bus lesson' };
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.getByLabel('Open a lesson file').setInputFiles({
    name: 'mine.lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(own)),
  });
  await expect(panel(page)).toContainText('Lesson · My bus lesson');
  await expect(page.locator('.scenario-title strong')).toHaveText('Order events on a bus');

  const broken = { ...own, steps: [{ ...own.steps[0], highlight: ['nobody'] }] };
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.getByLabel('Open a lesson file').setInputFiles({
    name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)),
  });
  await expect(page.getByRole('alert')).toContainText('broken.json was not opened as a lesson');
  await expect(page.getByRole('alert')).toContainText('steps[0].highlight[0]: there is no entity "nobody"');
  await expect(panel(page)).toContainText('Lesson · My bus lesson');

  await page.goto('/#lesson1.AAAAAAAA');
  await expect(page.getByRole('alert')).toContainText('The link is');
});
