// The page's language: the browser's (zh-CN or en), the user's own choice (kept across visits),
// a link's (the sharer's, unless the reader chose one); switching keeps the scenario and the
// moment; CJK text is drawn with a CJK font.
import { test, expect } from './fixtures.mjs';

async function open(page, path = '/') {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('.run-facts')).toBeVisible();
}

test.describe('a browser set to Simplified Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('gets the page in Chinese, the document marked zh-CN, drawn with a CJK font', async ({ page }) => {
    await open(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('EDA Playground 事件驱动演练场');
    await expect(page.getByRole('button', { name: '播放' })).toBeVisible();
    await expect(page.getByRole('button', { name: '单步', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: '示例', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: '课程', exact: true })).toBeVisible();
    await expect(page.getByLabel('语言')).toHaveValue('zh-CN');
    await expect(page.getByRole('slider', { name: '速度' })).toBeVisible();
    await expect(page.getByRole('heading', { name: '从一个示例开始' })).toBeVisible();
    await expect(page.getByRole('button', { name: '打开 订单事件 → 短信' })).toBeVisible();
    await expect(page.locator('.run-facts')).toContainText('已处理 0 个事件');
    await expect(page.locator('.scenario-title strong')).toHaveText('订单事件 → 短信');
    await expect(page.getByRole('region', { name: '示意图' })).toContainText('已暂停');
    await expect(page.getByRole('button', { name: '导出示意图为 SVG' })).toBeVisible();
    await expect(page.getByRole('heading', { name: '事件日志', level: 2 })).toBeVisible();
    await expect(page.getByRole('heading', { name: '时间轴泳道' })).toBeVisible();
    // The glyphs come from a CJK face: a Chinese line is as wide as its characters, not boxes.
    const fonts = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(fonts).toContain('Noto Sans CJK SC');
    const width = await page.getByRole('heading', { name: '从一个示例开始' }).evaluate((h) => h.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(7 * 14);
    // The lessons' controls too.
    await page.getByRole('button', { name: '课程', exact: true }).click();
    await expect(page.getByRole('heading', { name: '引导课程' })).toBeVisible();
    await page.getByRole('button', { name: '开始课程：同步调用与异步调用' }).click();
    await expect(page.getByRole('button', { name: '检查目标' })).toBeVisible();
    // The built-in lesson's own words are in Chinese too, and its goal still works.
    await expect(page.getByRole('heading', { name: '第 1 步，共 3 步：同步调用要等待' })).toBeVisible();
    await expect(page.locator('.lesson-task')).toContainText('web-shop 的响应时间');
    await page.getByRole('button', { name: /^提示/ }).click();
    await expect(page.getByRole('list', { name: '提示' })).toContainText('“跳转到时间”字段在工具栏中');
    await page.getByRole('button', { name: '演示给我看' }).click();
    await expect(page.locator('.goal-status')).toHaveText('✓ 已达成目标');
    await expect(page.getByRole('button', { name: '演示给我看' })).toBeVisible();
  });
});

test('switching the language keeps the scenario and the moment, and the choice is remembered', async ({ page }) => {
  await open(page);
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.locator('.preset-picker select').selectOption('queues');
  await page.getByLabel('Jump to time').fill('2s');
  await page.getByRole('button', { name: 'Jump', exact: true }).click();
  const clock = await page.locator('.clock-value').getAttribute('title');
  const facts = await page.locator('.trace-hash').textContent();
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.getByRole('button', { name: '播放' })).toBeVisible();
  await expect(page.locator('.clock-value')).toHaveAttribute('title', clock);
  await expect(page.locator('.trace-hash')).toHaveText(facts);
  await expect(page.getByRole('heading', { name: '实体', level: 2 })).toBeVisible();
  // A built-in example's own words come from the catalogue, by its id; its entities' names do not.
  await expect(page.locator('.scenario-title strong')).toHaveText('带重试和死信队列的工作队列');
  await expect(page.getByRole('region', { name: '示意图' }).locator('g.node[data-entity="worker-1"]')).toContainText('消费者');
  await expect(page.getByRole('region', { name: '示意图' }).locator('g.node[data-entity="worker-1"]')).toContainText('worker-1');
  // The entities' cards: their actions speak Chinese and still act.
  await page.getByRole('button', { name: '让 worker-1 崩溃' }).click();
  await expect(page.getByRole('region', { name: '示意图' }).locator('g.node[data-entity="worker-1"]')).toHaveClass(/down/);
  await expect(page.getByRole('button', { name: '重启 worker-1' })).toBeVisible();
  // Its properties: the form's labels and help come from the catalogue, by kind and field.
  await page.getByRole('region', { name: '示意图' }).locator('g.node[data-entity="worker-1"]').click();
  const properties = page.getByRole('region', { name: '消费者 worker-1 的属性' });
  await expect(properties.getByLabel('处理时间', { exact: true })).toBeVisible();
  await expect(properties).toContainText('30ms（固定）、exp 30ms（指数分布均值）、20ms..80ms（均匀分布）');
  await expect(page.getByRole('toolbar', { name: '添加到示意图' }).getByRole('button', { name: '添加队列' })).toBeVisible();
  // Kept for the next visit, whatever the browser says.
  await page.goto('about:blank');
  await open(page);
  await expect(page.getByRole('button', { name: '播放' })).toBeVisible();
  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
});

test('a shared link opens in the sharer\'s language unless the reader chose one', async ({ page, browser }) => {
  await open(page);
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('button', { name: '复制链接' }).click();
  const link = await page.getByLabel('分享链接').inputValue();
  // A reader whose browser is in English and who never chose: the sharer's Chinese.
  const reader = await browser.newContext({ locale: 'en-US' });
  const fresh = await reader.newPage();
  await open(fresh, link);
  await expect(fresh.getByRole('button', { name: '播放' })).toBeVisible();
  await reader.close();
  // A reader who chose English keeps English.
  await page.getByLabel('语言').selectOption('en');
  await page.goto('about:blank');
  await open(page, link);
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
});
