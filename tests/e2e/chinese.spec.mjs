// A walk through the page in Simplified Chinese: every example played to a moment with a
// record open, the gallery, the lessons with a goal checked, the shortcuts, the builder's
// properties and a delete question, the A/B comparison and a broken link's alert. At each stop
// no phrase the page provides is left in English and every control has a Chinese name; only
// the scenario's own data (entity names, event types, payloads) and units stay as written.
// The same walk in English finds no Chinese.
import { test, expect } from './fixtures.mjs';

const EXAMPLES = [
  'order-events-sms', 'topics', 'queues', 'delivery-guarantees', 'producer-acks', 'dual-write-outbox',
  'exactly-once-transactions', 'network-partition', 'request-reply', 'service-discovery', 'event-sourcing',
  'order-system',
];

/** Words of the scenario's data and of notation, which stay as written in any language. */
const WRITTEN = [
  /EDA Playground/g, // the name of the playground
  /Page (?:Down|Up)/g, // keys, as the keyboard names them
  /\((?:acks [a-z]+|[a-z_]+)\)|（(?:acks [a-z]+|[a-z_]+)）/g, // a setting's value as the format spells it
  /"version": \d+/g,
  /Li Wei/g, // a value of the event-sourcing example's payloads
];

/** English phrases left in `text`: two or more English words in a row, once the scenario's
 * own names (`names`: its entities) and event types (CamelCase) are set aside. */
function englishPhrases(text, names) {
  let rest = text;
  for (const pattern of WRITTEN) rest = rest.replace(pattern, ' ');
  for (const name of [...names].sort((a, b) => b.length - a.length)) rest = rest.split(name).join(' ');
  rest = rest.replace(/\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b/g, ' ');
  const phrases = rest.match(/\b[A-Za-z]{2,}(?:[ ][A-Za-z]{2,})+\b/g) ?? [];
  // A single word marked as one of the page's own (see pageWords).
  const words = (rest.match(/(?:^|\n)\(?[A-Za-z]{3,}\)? ·word/g) ?? []).map((w) => w.trim());
  return [...phrases, ...words];
}

/** What the page shows and names: its visible text, tooltips and accessible names. */
async function pageWords(page) {
  return page.evaluate(() => {
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const texts = [document.body.innerText];
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (!visible(el) && el.tagName !== 'svg' && !el.closest('svg')) continue;
      for (const attr of ['aria-label', 'title', 'placeholder']) {
        const value = el.getAttribute(attr);
        if (value) texts.push(value);
      }
    }
    for (const el of document.querySelectorAll('svg title, svg desc')) texts.push(el.textContent);
    // Single words the page provides, where a phrase check would miss them: the choices of
    // selects (their own values aside), a card's bar labels.
    // (The language switch names each language in its own words.)
    for (const el of document.querySelectorAll('option, .bar-label')) {
      if (el.textContent !== 'English') texts.push(`${el.textContent} ·word`);
    }
    return texts.join('\n');
  });
}

/** Controls whose accessible name has no Chinese and is not a single token of data or a number. */
async function unnamedControls(page) {
  return page.evaluate(() => {
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const name = (el) => {
      if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
      const labelled = el.getAttribute('aria-labelledby');
      if (labelled) return labelled.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      if (el.labels && el.labels.length) return [...el.labels].map((l) => l.textContent).join(' ');
      return el.textContent || el.getAttribute('title') || '';
    };
    const bad = [];
    for (const el of document.querySelectorAll('button, select, input:not([type=file]), textarea, a[href], summary, [role=button], [role=slider]')) {
      if (!visible(el)) continue;
      const n = name(el).trim();
      if (/[\u4e00-\u9fff]/.test(n)) continue;
      // A number or a time (a log row's moment), a symbol, or one token of the scenario's data.
      if (/^[\d\s.:,+−×%µ–—→·/()<>#@-]*(?:ms|s|min|h|d|µs)?$/.test(n) || !/\s/.test(n)) continue;
      bad.push(`${el.tagName.toLowerCase()}: ${n}`);
    }
    return bad;
  });
}

/** Lines of a node's text that run past its box, or over another line (Chinese is wider). */
async function nodeOverflows(page) {
  return page.evaluate(() => {
    const found = [];
    for (const g of document.querySelectorAll('g.node')) {
      const box = g.querySelector('rect.box').getBoundingClientRect();
      // A line's ink: its font size tall about the middle of its box (a CJK face's line box is
      // much taller than the glyphs it draws).
      const ink = (t) => {
        const b = t.getBoundingClientRect();
        const half = parseFloat(getComputedStyle(t).fontSize) / 2;
        const mid = (b.top + b.bottom) / 2;
        return { left: b.left, right: b.right, top: mid - half, bottom: mid + half };
      };
      const texts = [...g.querySelectorAll('text')].filter((t) => t.textContent.trim()).map((t) => [t.textContent, ink(t)]);
      for (let i = 0; i < texts.length; i++) {
        const [t, r] = texts[i];
        if (r.right > box.right + 0.5) found.push(`${g.dataset.entity}: "${t}" runs out of its box`);
        for (let j = i + 1; j < texts.length; j++) {
          const [u, q] = texts[j];
          const apart = r.right <= q.left + 0.5 || q.right <= r.left + 0.5 || r.bottom <= q.top + 0.5 || q.bottom <= r.top + 0.5;
          if (!apart) found.push(`${g.dataset.entity}: "${t}" / "${u}"`);
        }
      }
    }
    return found;
  });
}

async function expectChinese(page, where) {
  const names = await page.locator('g.node[data-entity]').evaluateAll((nodes) => nodes.map((n) => n.dataset.entity));
  expect(englishPhrases(await pageWords(page), names), `English left at ${where}`).toEqual([]);
  expect(await unnamedControls(page), `controls without a Chinese name at ${where}`).toEqual([]);
}

/** Opens the newest record of the log in the inspector (running on until there is one). */
async function openLatestRecord(page) {
  const rows = page.locator('.event-log tbody tr');
  if ((await rows.count()) === 0) await page.locator('.toolbar button').filter({ hasText: /^(单步|Step)$/ }).click();
  await rows.first().locator('button.goto').click();
}

async function jump(page, time) {
  await page.getByLabel('跳转到时间').fill(time);
  await page.getByRole('button', { name: '跳转', exact: true }).click();
}

test.describe('the page in Simplified Chinese', () => {
  test.use({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });

  test('every example at 30 s, with a record open, speaks Chinese and fits its nodes', async ({ page }, testInfo) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('EDA Playground 事件驱动演练场');
    await expectChinese(page, 'the first view');
    for (const example of EXAMPLES) {
      await page.locator('.preset-picker select').selectOption(example);
      await jump(page, '30s');
      await expect(page.locator('.clock-value')).toContainText('30');
      expect(await nodeOverflows(page), `node text at ${example}`).toEqual([]);
      // A record open in the inspector, and its whole path (the latest one: the event-sourcing
      // example has none before day 1).
      await openLatestRecord(page);
      await expect(page.getByRole('heading', { name: '检查器' })).toBeVisible();
      await expectChinese(page, example);
      await page.getByRole('button', { name: '关闭检查器' }).click();
    }
    await page.screenshot({ path: testInfo.outputPath('zh-walk-1440.png'), fullPage: true });
  });

  test('the gallery, lessons, shortcuts, builder, comparison and alerts speak Chinese', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: '示例', exact: true }).click();
    await expectChinese(page, 'the gallery');
    await page.getByRole('button', { name: '课程', exact: true }).click();
    await expectChinese(page, 'the lesson list');
    await page.getByRole('button', { name: '开始课程：请求-响应与吞吐瓶颈' }).click();
    await page.getByRole('button', { name: '检查目标' }).click();
    await page.getByRole('button', { name: /^提示/ }).click();
    await expectChinese(page, 'a lesson with its goal checked');
    await page.getByRole('button', { name: '演示给我看' }).click();
    await expect(page.locator('.goal-status')).toHaveText('✓ 已达成目标');
    await expectChinese(page, 'a lesson step done');
    await page.getByRole('button', { name: '退出课程' }).click();

    await page.locator('.shortcuts-button').click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectChinese(page, 'the shortcuts');
    await page.keyboard.press('Escape');

    // The builder: an entity's properties, then the question before deleting it.
    await page.locator('.preset-picker select').selectOption('queues');
    await page.locator('g.node').first().focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('.properties')).toBeVisible();
    await expectChinese(page, 'the properties');
    await jump(page, '5s');
    await page.getByRole('button', { name: /^删除/ }).first().click();
    await expect(page.getByRole('alertdialog')).toBeVisible();
    await expectChinese(page, 'the delete question');
    await page.getByRole('button', { name: '取消' }).click();

    await page.getByRole('button', { name: '与变体对比' }).click();
    await expectChinese(page, 'a comparison');
    await page.getByRole('button', { name: '结束对比' }).click();

    // A bad value typed into a property, and files that are not scenarios.
    await page.locator('.preset-picker select').selectOption('queues');
    await page.locator('g.node[data-entity="worker-1"]').focus();
    await page.keyboard.press('Enter');
    const failures = page.locator('.properties').getByLabel('失败率（%）', { exact: true });
    await failures.fill('250');
    await failures.press('Enter');
    await expect(page.locator('.properties .field-error').first()).toBeVisible();
    await expectChinese(page, 'a refused property');
    const picker = page.locator('input[type=file]').first();
    for (const text of ['this is not json', '', '{"version": 1, "name": "x", "bogus": 1}',
      '{"version": 1, "broker": {"consumers": [{"id": "c", "queue": "q", "processing_time": {"constant": "1ms"}}]}}']) {
      await picker.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await expect(page.getByRole('alert')).toContainText('未导入 bad.json');
      await expectChinese(page, `a file holding ${text || 'nothing'}`);
      await page.getByRole('alert').getByRole('button').first().click();
    }

    // A time that cannot be read, in the jump field.
    await jump(page, 'soon');
    await expect(page.locator('#jump-error')).toBeVisible();
    await expectChinese(page, 'a time that cannot be read');

    await page.goto('/#v1.abc!def');
    await expect(page.getByRole('alert')).toContainText('链接已损坏');
    await expectChinese(page, 'a broken link');
    await page.goto('/#lesson1.AAAA');
    await expect(page.getByRole('alert')).toBeVisible();
    await expectChinese(page, 'a broken lesson link');
  });

  for (const [width, height] of [[1280, 720], [390, 844]]) {
    test(`at ${width}×${height} no Chinese label is clipped`, async ({ page }, testInfo) => {
      await page.setViewportSize({ width, height });
      await page.goto('/');
      await page.locator('.preset-picker select').selectOption('delivery-guarantees');
      await jump(page, '30s');
      await expectChinese(page, `${width}×${height}`);
      // Buttons keep their words on one line and inside their box.
      const clipped = await page.evaluate(() => [...document.querySelectorAll('button')]
        .filter((b) => b.offsetWidth && b.scrollWidth > b.clientWidth + 1)
        .map((b) => b.textContent));
      expect(clipped).toEqual([]);
      await page.screenshot({ path: testInfo.outputPath(`zh-${width}.png`) });
    });
  }
});

test('the page in English has no Chinese left', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('EDA Playground');
  for (const example of EXAMPLES) {
    await page.locator('.preset-picker select').selectOption(example);
    await page.getByLabel('Jump to time').fill('12s');
    await page.getByRole('button', { name: 'Jump', exact: true }).click();
    await openLatestRecord(page);
    await expect(page.getByRole('heading', { name: 'Inspector' })).toBeVisible();
    const words = await pageWords(page);
    // The language switch names each language in its own words.
    expect(words.replace(/简体中文|语言/g, '').match(/[\u4e00-\u9fff]+/g), example).toBeNull();
  }
});
