// Browser benchmark (prints figures, asserts nothing): wasm size, first paint, seek time on a
// long run, and frame times while playing. Run with: ./scripts/bench-browser.sh
import { chromium } from '../e2e/node_modules/playwright-core/index.mjs';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';

const dist = new URL('../../dist/', import.meta.url).pathname;
const wasm = readdirSync(dist).find((f) => f.endsWith('.wasm'));
const raw = readFileSync(dist + wasm);
console.log(`release .wasm: ${(raw.length / 1024).toFixed(0)} KB raw, ${(gzipSync(raw, { level: 9 }).length / 1024).toFixed(0)} KB gzip`);

const port = 8197;
const server = spawn('node', [new URL('../e2e/serve.mjs', import.meta.url).pathname, dist, String(port)], { stdio: 'ignore' });
await new Promise((done) => setTimeout(done, 500));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByRole('button', { name: 'Step', exact: true }).waitFor();
  const paint = await page.evaluate(() => performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]));
  for (const [name, at] of paint) console.log(`${name}: ${at.toFixed(0)} ms`);

  // A long run: the load-ramp checkout, run to 60 s of simulated time.
  await page.getByLabel('Example scenario').selectOption({ label: 'Request-response — Shop checkout under a load ramp' });
  await page.getByLabel('Jump to time').fill('60s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  const events = await page.locator('.events-processed').textContent();
  console.log(`long run: ${events} in 60 s of simulated time`);
  console.log(`seek on that run: ${await seekTimes(page, [1, 45, 12, 59, 30, 5, 50, 20, 40, 2])}`);

  // Frames while playing at 100× from 10 s on.
  await page.getByLabel('Jump to time').fill('10s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await page.getByRole('slider', { name: 'Speed' }).fill('8');
  await page.getByRole('button', { name: 'Play' }).click();
  const frames = await frameTimes(page);
  console.log(`frames while playing the checkout at 100×: ${percentiles(frames)}`);
  await page.getByRole('button', { name: 'Pause' }).click();

  // About 1,000 messages in flight: a source publishing every millisecond on a bus that takes
  // a second to dispatch, built by hand in the builder, then played at real time.
  await page.getByRole('button', { name: 'New empty scenario' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Discard' }).click();
  const build = page.getByRole('region', { name: 'Build' });
  const add = async (kind, name) => {
    await build.getByLabel('Entity kind').selectOption({ label: kind });
    await build.getByLabel('Entity name').fill(name);
    await build.getByRole('button', { name: 'Add entity' }).click();
  };
  const set = async (label, value) => {
    const field = page.getByRole('region', { name: /^Properties of / }).getByLabel(label, { exact: true });
    await field.fill(value);
    await field.press('Tab');
  };
  await add('Event type', 'Tick');
  await add('Event bus', 'bus');
  await set('Dispatch delay', '1s');
  await add('Event source', 'clock');
  await set('Event streams (JSON)', '[{"event_type": "Tick", "every": {"constant": "1ms"}}]');
  await add('Listener', 'sink');
  await page.getByRole('region', { name: /^Properties of / }).getByRole('checkbox', { name: 'Tick' }).check();
  await set('Processing time', '100us');
  await page.getByLabel('Jump to time').fill('2s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  const inFlight = await page.locator('canvas.flow-canvas').getAttribute('data-flights');
  await page.getByRole('slider', { name: 'Speed' }).fill('4');
  await page.getByRole('button', { name: 'Play' }).click();
  const busy = await frameTimes(page);
  console.log(`frames with ${inFlight} messages on screen, playing at ${await page.locator('.speed-value').textContent()}: ${percentiles(busy)}`);
  await page.getByRole('button', { name: 'Pause' }).click();

  // A run of about a million events (the page keeps up to 1,500,000 records): a work queue fed
  // every millisecond, run to 250 s, then seeks across it.
  await page.getByRole('button', { name: 'New empty scenario' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Discard' }).click();
  await add('Queue', 'work');
  await add('Producer', 'feed');
  await set('Gap between messages', '1ms');
  await add('Consumer', 'worker');
  await set('Processing time', '500us');
  await set('Prefetch', '10');
  await page.getByLabel('Jump to time').fill('250s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  await page.getByRole('status', { name: 'Virtual clock' }).filter({ hasText: '250.000000 s' }).waitFor({ timeout: 120_000 });
  const long = await page.locator('.events-processed').textContent();
  console.log(`longest run: ${long} in 250 s of simulated time`);
  console.log(`seek on that run: ${await seekTimes(page, [3, 240, 40, 248, 125, 12, 200, 60, 170, 1])}`);
} finally {
  await browser.close();
  server.kill();
}

/** Seeks by the timeline slider to each time (in seconds): input → the next frame drawn. */
async function seekTimes(page, seconds) {
  const frame = [];
  for (const t of seconds) {
    frame.push(await page.evaluate(async (us) => {
      const slider = document.querySelector('.timeline-scrubber input');
      // Start at the beginning of a fresh frame, so the figure is the seek's, not the wait's.
      await new Promise((done) => requestAnimationFrame(() => done()));
      const started = performance.now();
      slider.value = String(us);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((done) => requestAnimationFrame(() => done()));
      return performance.now() - started;
    }, t * 1_000_000));
  }
  frame.sort((a, b) => a - b);
  return `input → next frame median ${frame[Math.floor(frame.length / 2)].toFixed(1)} ms, worst ${frame[frame.length - 1].toFixed(1)} ms`;
}

/** Gaps between 170 animation frames (after 10 to settle), in milliseconds. */
function frameTimes(page) {
  return page.evaluate(() => new Promise((done) => {
    const times = [];
    let last = performance.now();
    const tick = (now) => {
      times.push(now - last);
      last = now;
      if (times.length < 180) requestAnimationFrame(tick); else done(times.slice(10));
    };
    requestAnimationFrame(tick);
  }));
}

function percentiles(frames) {
  frames.sort((a, b) => a - b);
  const p = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))].toFixed(1);
  return `p50 ${p(0.5)} ms, p95 ${p(0.95)} ms (${frames.length} frames)`;
}
