// The event-sourcing replay view: the profile as it was on a chosen day, and which event
// changed which field.
import { test, expect, openPlayground } from './fixtures.mjs';

test('replaying the user profile to day 2 shows it as it was then, event by event', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: 'Event sourcing — Event sourcing: a user profile' });
  await page.getByLabel('Jump to time').fill('5d');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText('5 d 00:00');

  const replay = page.getByRole('region', { name: 'Event-sourcing replay' });
  await expect(replay.getByLabel('Stream')).toHaveValue('user-42');
  // Now (day 5): the name was corrected and the phone removed.
  const state = replay.getByRole('table', { name: 'State of user-42' });
  await expect(state.getByRole('row').filter({ hasText: 'name' })).toContainText('Li Weiming');
  await expect(state.getByRole('row').filter({ hasText: 'phone' })).toHaveCount(0);

  // Day 2 (end of it): registered, phone added, address added and corrected.
  await replay.getByLabel('Replay to time').fill('2d');
  await replay.getByRole('button', { name: 'Replay' }).click();
  await expect(replay.getByText(/user-42 at 2 d 00:00: version 4/)).toBeVisible();
  await expect(state.getByRole('row').filter({ hasText: 'address' })).toContainText('21 West Lake Road, Hangzhou');
  await expect(state.getByRole('row').filter({ hasText: 'name' })).toContainText('Li Wei');
  await expect(state.getByRole('row').filter({ hasText: 'phone' })).toContainText('+86 138 0000 0001');
  const history = replay.getByRole('table', { name: 'Events that built user-42' });
  await expect(history.getByRole('row')).toHaveCount(5); // header + 4 events
  await expect(history.getByRole('row').filter({ hasText: 'AddressCorrected' }))
    .toContainText('address: 12 West Lake Road, Hangzhou → 21 West Lake Road, Hangzhou');

  await replay.getByLabel('Replay to time').fill('yesterday');
  await replay.getByRole('button', { name: 'Replay' }).click();
  await expect(replay.getByText('duration "yesterday" has unknown unit "yesterday"')).toBeVisible();
});
