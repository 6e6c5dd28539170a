import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebHost } from '../../main/web-host';
import { openStudio, ROOT, type StudioSession } from './studio-session';
import { SAMPLE_DIR } from '../../main/studio';

/**
 * The email block editor in Chromium through the web host: blocks added by drag and by click, inline text
 * with a field, a button, a reorder, brand colours, the live MJML preview for the current record (and the
 * next), then undo of everything and redo.
 */
const ARTIFACTS = join(ROOT, 'tests/artifacts/email-editor');

const shot = async (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe('email block editor through the web host (Chromium)', () => {
  let session: StudioSession | undefined;
  let host: WebHost;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    session = await openStudio({
      prefix: 'email-editor-e2e-',
      artifacts: ARTIFACTS,
      viewport: { width: 1900, height: 1100 },
      errors,
      consoleError: (m) => `${m.text()} ${m.location().url}`,
    });
    ({ host, page } = session);
  });

  afterAll(() => session?.close());

  const csv = readFileSync(join(SAMPLE_DIR, 'data/customers.csv'), 'utf8').split(/\r?\n/);
  const header = csv[0]!.split(',');
  const firstName = (record: number) => csv[record]!.split(',')[header.indexOf('first_name')]!;

  const heroBlocks = (page: Page) =>
    page
      .getByTestId('column-em-hero-col')
      .locator('[data-testid^="block-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('block-'.length)));
  const selectedBlock = async (page: Page) =>
    (await page.locator('.em-block.em-selected').getAttribute('data-testid'))!.slice('block-'.length);
  /** The preview's body text, once it is not updating. */
  const previewText = async (page: Page) => {
    if ((await page.getByTestId('email-preview-status').getAttribute('data-busy')) === 'yes') return '(updating)';
    return (await page.frameLocator('[data-testid="email-live-frame"]').locator('body').textContent()) ?? '';
  };
  /** Whether the settled preview contains `text` ('busy' while it recomposes). */
  const previewHas = async (page: Page, text: string) => {
    const t = await previewText(page);
    return t === '(updating)' ? 'busy' : t.includes(text) ? 'has' : 'lacks';
  };
  const canUndo = (page: Page) => page.getByTestId('email-undo').isEnabled();
  const canRedo = (page: Page) => page.getByTestId('email-redo').isEnabled();

  it('builds, previews per record, undoes everything and redoes it', async () => {
    await page.goto(host.url);
    await page.getByTestId('open-sample').click();
    await page.getByRole('button', { name: 'Data' }).click();
    await page.getByTestId('import-data').setInputFiles(join(SAMPLE_DIR, 'data/customers.csv'));
    await expect.poll(() => page.getByTestId('data-summary').textContent()).toMatch(/records read/);
    await page.getByRole('button', { name: 'Template & preview' }).click();
    await page.getByRole('tab', { name: 'Email design' }).click();
    await page.getByTestId('email-block-list').waitFor();
    await expect.poll(() => previewText(page), { timeout: 30_000 }).toContain('is due for service');
    const original = await heroBlocks(page);
    expect(original).toEqual(['em-headline', 'em-body']);
    const originalSubject = await page.getByTestId('email-live-subject').textContent();
    await shot(page, '01-opened');

    // A text block dragged from the palette below the body text; it is selected and edited in place.
    await page.getByTestId('palette-text').dragTo(page.getByTestId('slot-em-hero-col-2'));
    await expect.poll(() => heroBlocks(page)).toHaveLength(3);
    const text = await selectedBlock(page);
    expect((await heroBlocks(page))[2]).toBe(text);
    await shot(page, '01b-dropped-text');
    const run = page.getByTestId(`block-${text}`).getByTestId('inline-run-0-0');
    await run.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Thank you for driving with us,');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter'); // commits the run (one undo step)
    await expect.poll(() => page.getByTestId('run-text-0-0').inputValue()).toBe('Thank you for driving with us,');
    // Insert field… puts the field at the caret (the end of the run).
    await page.getByTestId('email-insert-field').selectOption('first_name');
    await expect.poll(() => page.getByTestId('run-text-0-0').inputValue()).toBe('Thank you for driving with us, {{ first_name }}');
    await page.getByTestId(`run-bold-0-0`).click();
    // An off-brand colour is allowed but flagged; a brand swatch clears the warning.
    await page
      .getByRole('button', { name: 'Off-brand colour' })
      .first()
      .waitFor({ state: 'attached' })
      .catch(() => undefined);
    await page.getByTestId('email-text-color').locator('input[type="color"]').fill('#ff00aa');
    await page.getByTestId('email-text-color-offbrand').waitFor();
    await page.getByTestId('email-text-color-brand-red').click();
    await expect.poll(() => page.getByTestId('email-text-color-offbrand').count()).toBe(0);
    // The condition field is checked live against the schema.
    await page.getByTestId('email-show-if').fill('nonexistent_field');
    await expect.poll(() => page.getByTestId('email-show-if-problem').textContent()).toContain('not a data field');
    await page.getByTestId('email-show-if').fill('');
    await page.getByTestId('email-show-if').press('Escape');

    // A button added by clicking the palette lands after the selection; its colour becomes a brand swatch.
    await page.getByTestId('palette-button').click();
    await expect.poll(() => heroBlocks(page)).toHaveLength(4);
    const button = await selectedBlock(page);
    expect((await heroBlocks(page))[3]).toBe(button);
    await page.getByTestId('email-button-label').fill('Book my visit');
    await page.getByTestId('email-button-label').press('Enter');
    await page.getByTestId('email-button-bg-brand-navy').click();
    expect(await page.getByTestId('email-button-bg-brand-navy').getAttribute('aria-pressed')).toBe('true');

    // Reorder: drag the button above the new text block.
    await page.getByTestId(`block-${button}`).dragTo(page.getByTestId('slot-em-hero-col-2'));
    await expect.poll(() => heroBlocks(page)).toEqual(['em-headline', 'em-body', button, text]);

    // Subject with a field at the cursor.
    const subject = page.getByTestId('email-subject');
    await subject.click();
    await subject.press('End');
    await page.getByTestId('envelope-insert-field').selectOption('first_name');
    await expect.poll(() => subject.inputValue()).toMatch(/\{\{ first_name \}\}$/);

    // A two-column section after the selected one; a divider dragged into its second column.
    await page.getByTestId('add-section-2').click();
    const sectionId = await page.locator('.em-section.em-selected').getAttribute('data-testid');
    const section = page.getByTestId(sectionId!);
    await expect.poll(() => section.locator('.em-column').count()).toBe(2);
    const second = (await section.locator('.em-column').nth(1).getAttribute('data-testid'))!.slice('column-'.length);
    await page.getByTestId('palette-divider').dragTo(page.getByTestId(`slot-${second}-0`));
    await expect.poll(() => page.getByTestId(`column-${second}`).locator('[data-type="divider"]').count()).toBe(1);
    expect(await section.locator('.em-column').first().locator('.em-block').count()).toBe(0);

    // The preview is the compiled MJML of the latest draft for record 1.
    await expect.poll(() => previewText(page), { timeout: 30_000 }).toContain(`Thank you for driving with us, ${firstName(1)}`);
    expect(await previewText(page)).toContain('Book my visit');
    await expect.poll(() => page.getByTestId('email-live-subject').textContent()).toMatch(new RegExp(`${firstName(1)}$`));
    const html = await page.frameLocator('[data-testid="email-live-frame"]').locator('body').innerHTML();
    // Button before the new text in the sent HTML, as in the list.
    expect(html.indexOf('Book my visit')).toBeLessThan(html.indexOf('Thank you for driving'));
    await page.waitForTimeout(300);
    await shot(page, '02-built-record-1-desktop');
    await page.getByRole('tab', { name: 'Mobile 375' }).click();
    await page.waitForTimeout(300);
    await shot(page, '03-built-record-1-mobile');
    await page.getByRole('tab', { name: 'Desktop 640' }).click();

    // Step to record 2: the preview recomposes with that record's name.
    await page.getByRole('button', { name: 'Next record' }).click();
    await expect.poll(() => previewText(page), { timeout: 30_000 }).toContain(`Thank you for driving with us, ${firstName(2)}`);
    await shot(page, '04-built-record-2');

    // Undo everything: the list and the preview are back to the sample.
    let steps = 0;
    while (await canUndo(page)) {
      await page.getByTestId('email-undo').click();
      steps++;
      expect(steps).toBeLessThan(40);
    }
    expect(steps).toBeGreaterThanOrEqual(8);
    await expect.poll(() => heroBlocks(page)).toEqual(original);
    await expect.poll(() => previewHas(page, 'Thank you for driving'), { timeout: 30_000 }).toBe('lacks');
    expect(await previewHas(page, 'Book my visit')).toBe('lacks');
    expect(await page.getByTestId('email-live-subject').textContent()).toBe(originalSubject!.replace(firstName(1), firstName(2)));
    await shot(page, '05-undone');

    // Redo everything: back to the built email, for record 2.
    let redone = 0;
    while (await canRedo(page)) {
      await page.getByTestId('email-redo').click();
      redone++;
    }
    expect(redone).toBe(steps);
    await expect.poll(() => heroBlocks(page)).toEqual(['em-headline', 'em-body', button, text]);
    await expect.poll(() => previewText(page), { timeout: 30_000 }).toContain(`Thank you for driving with us, ${firstName(2)}`);
    await shot(page, '06-redone');
    // The only failed loads allowed are mj-social's stock icons (this machine has no internet).
    expect(errors.filter((e) => !/ERR_NAME_NOT_RESOLVED https:\/\/www\.mailjet\.com\/images\//.test(e))).toEqual([]);
  });
});
