// Theory beside observation as a person reads it: an M/M/1 service's predicted figures next to
// the measured ones, the verdict against the run's confidence interval, Little's law, and the
// panel's notes where a scenario is not the model.
import { test, expect, openPlayground } from './fixtures.mjs';

async function jump(page, time, shown) {
  await page.getByLabel('Jump to time').fill(time);
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Virtual clock' })).toHaveText(shown);
}

const mm1 = {
  version: 1, name: 'M/M/1 at 80 %', seed: 17,
  request_reply: {
    services: [{ id: 'svc', workers: 1, service_time: { exponential: { mean: '10ms' } } }],
    clients: [{ id: 'users', service: 'svc', network_delay: { constant: '0us' },
                arrivals: { every: { exponential: { mean: '12500us' } } } }],
  },
};

test('an M/M/1 service shows the theory beside what the run measured, and they agree', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Import scenario').setInputFiles({ name: 'mm1.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mm1)) });
  await expect(page.locator('.scenario-title strong')).toHaveText('M/M/1 at 80 %');
  await jump(page, '600s', '10 min 0 s');
  const table = page.getByRole('table', { name: 'Queueing theory for service svc' });
  await expect(table).toContainText('M/M/1 × 1 replica: λ 80.0/s, μ 100.0/s per worker');
  const row = (name) => table.getByRole('row', { name: new RegExp(`^${name}`) });
  await expect(row('utilisation ρ')).toContainText('80.0 %');
  await expect(row('chance of waiting')).toContainText('80.0 %');
  await expect(row('mean time in the service W')).toContainText(/50\.0 ms\s*\d+\.\d ± \d+\.\d ms/);
  await expect(row('mean number in the service L')).toContainText("Little's law holds");
  await expect(page.locator('.theory-verdict')).toHaveText("✓ the prediction is inside the run's 95 % interval");
  await expect(page.getByRole('list', { name: 'Where svc is not the model' })).toHaveCount(0);
});

test('the shop checkout example says where it is not the model, and that it has no steady state', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Example scenario').selectOption({ label: 'Request-response — Shop checkout under a load ramp' });
  await jump(page, '20s', '20 s');
  const notes = page.getByRole('list', { name: 'Where order-service is not the model' });
  await expect(notes).toContainText('a finite waiting room turns arrivals away');
  await expect(notes).toContainText('grows without bound');
  await expect(page.locator('.theory-verdict')).toContainText('no steady state');
  await expect(page.getByRole('table', { name: 'Consumer-group lag growth' })).toHaveCount(0);
});
