import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import type { WebHost } from '../../main/web-host';
import { openStudio, ROOT, type StudioSession } from './studio-session';

/**
 * A designer builds a new campaign from an EMPTY library in Chromium through the web host, with mouse and
 * keyboard only (files through the system file chooser): a 6×9 postcard; a German customer file whose
 * columns the template never had; fields created from those columns with typed guesses; a field renamed
 * everywhere (one undo step); a used field refused on delete with where it is used; two rules with live values
 * per record and a broken one with its position; the data still attached
 * after the template is reopened. Screenshots: docs/images/studio-tour-*.png.
 */
const TOUR = join(ROOT, 'docs/images');
const timings: { step: string; ms: number }[] = [];
let t0 = Date.now();
const step = (name: string) => {
  const now = Date.now();
  timings.push({ step: name, ms: now - t0 });
  t0 = now;
};
const shot = async (page: Page, name: string) => page.screenshot({ path: join(TOUR, `studio-tour-${name}.png`), fullPage: false });

/** A German Excel export: Windows-1252, ";" separator, decimal commas, dd.mm.yyyy dates, "E-Mail", hostile notes. */
const KUNDEN = Buffer.from(
  [
    'Kunden-Nr.;Vorname;E-Mail;Betrag;Termin;Notiz',
    '1001;Jürgen;j@example.de;1.234,50;03.04.2026;<script>alert(1)</script>',
    '1002;Zoë;z@example.de;12,00;14.05.2026;{{ 7*7 }}',
    '1003;محمد;m@example.de;7,5;01.12.2026;javascript:alert(1)',
  ].join('\r\n'),
  'latin1',
);

/** Pick a file through the system file chooser that clicking the file button labelled `label` opens. */
async function chooseFile(page: Page, label: string, name: string, buffer: Buffer, mimeType = 'text/csv') {
  const chooser = page.waitForEvent('filechooser');
  await page.locator('label.filebtn', { hasText: label }).click();
  await (await chooser).setFiles({ name, mimeType, buffer });
}

describe('a new cross-media campaign from an empty library', () => {
  let session: StudioSession | undefined;
  let host: WebHost;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    session = await openStudio({ prefix: 'new-campaign-e2e-', artifacts: TOUR, viewport: { width: 1440, height: 900 }, errors });
    ({ host, page } = session);
  });

  afterAll(async () => {
    await session?.close();
    console.log(JSON.stringify({ e2e: 'new-campaign', timings }));
  });

  it('creates a postcard, fields from a new customer file, renames a field everywhere, and keeps the data', async () => {
    t0 = Date.now();
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    expect(await page.locator('.card').count()).toBe(0);
    await shot(page, '01-empty-library');

    // New template: a 6×9 postcard.
    await page.getByTestId('new-template').click();
    await page.getByTestId('new-name').fill('Winter check');
    await page.getByTestId('new-preset').selectOption('postcard-6x9');
    await page.getByTestId('new-channels').selectOption('both');
    await shot(page, '02-new-template-dialog');
    await page.getByTestId('new-create').click();
    await page.getByRole('heading', { name: 'Winter check' }).waitFor();
    // The print proof composes on the sample record (the email field added with the channel has a sample).
    await page.getByTestId('sheet-1').locator('canvas').waitFor({ timeout: 60_000 });
    step('new postcard with email');

    // The email starts from the starter layout; it can be removed (and undone) and added again.
    await page.getByRole('tab', { name: 'Email design' }).click();
    const blockList = page.getByTestId('email-palette');
    await blockList.waitFor();
    await expect.poll(() => page.locator('[data-testid^="block-"]').count(), { timeout: 20_000 }).toBeGreaterThan(4);
    await shot(page, '03-email-starter');
    await page.getByTestId('remove-email').click();
    await page.getByTestId('no-email').waitFor();
    await page.getByTestId('add-email').click();
    await page.getByTestId('remove-email').waitFor();
    step('email channel');

    // Data: the customer file. Its columns are ignored until fields read them — and the banner says so.
    await page.getByRole('button', { name: 'Data', exact: true }).click();
    await chooseFile(page, 'Import data…', 'kunden.csv', KUNDEN);
    const summary = page.getByTestId('data-summary');
    // The email channel's recipient field (added with the email, alias "E-Mail") already reads "E-Mail".
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('5 columns no field reads are ignored');
    expect(await page.getByLabel('Column for email').inputValue()).toBe('E-Mail');
    expect(await summary.textContent()).not.toContain('no problems');
    await shot(page, '04-data-ignored-columns');
    step('import customer file');

    // Create fields from these columns: typed guesses to confirm.
    await page.getByTestId('open-create-fields').click();
    const guesses = page.getByTestId('columns-to-fields');
    await guesses.waitFor();
    const typeOf = (header: string) => page.getByLabel(`Type for ${header}`).inputValue();
    expect([await typeOf('Kunden-Nr.'), await typeOf('Betrag'), await typeOf('Termin'), await typeOf('Notiz')]).toEqual([
      'text',
      'text',
      'date',
      'text',
    ]);
    // The template's locale is en-US, so "1.234,50" is not money there: set the locale first, then the guesses follow.
    await page.getByLabel('Data locale').fill('de-DE');
    await page.getByLabel('Data locale').press('Enter');
    await page.getByLabel('Currency').fill('EUR');
    await page.getByLabel('Currency').press('Enter');
    await expect.poll(() => typeOf('Betrag'), { timeout: 20_000 }).toBe('money');
    await shot(page, '05-fields-guesses');
    await page.getByTestId('create-fields').click();
    await page.getByTestId('field-row-betrag').waitFor();
    step('create fields from columns');

    // The new template's own key field is not in the file: make Kunden-Nr. the record key and delete the old one.
    await page.getByLabel('kunden_nr is the record key').check();
    await page.getByLabel('Delete field customer_id').click();
    await expect.poll(() => page.getByTestId('field-row-customer_id').count()).toBe(0);
    await expect.poll(() => page.getByTestId('columns-to-fields').count(), { timeout: 20_000 }).toBe(0);

    // Rename a field: every reference follows, as one undo step.
    const vorname = page.getByLabel('Name of field vorname');
    await vorname.fill('given_name');
    await vorname.press('Enter');
    await page.getByTestId('field-row-given_name').waitFor();
    await expect.poll(() => page.getByTestId('fields-message').textContent()).toContain('Renamed "vorname" to "given_name"');
    await page.getByRole('button', { name: /^Undo rename field/ }).click();
    await page.getByTestId('field-row-vorname').waitFor();
    await page.getByRole('button', { name: 'Redo' }).click();
    await page.getByTestId('field-row-given_name').waitFor();

    // Deleting a used field is refused and says where it is used.
    await page.getByLabel('Delete field kunden_nr').click();
    await expect.poll(() => page.getByTestId('fields-message').textContent()).toContain('is used by record key');
    await shot(page, '06-fields-editor');
    step('edit fields');

    // Rules: one added with the keyboard, one with the mouse; live values follow the record; a broken one says where.
    await page.getByRole('tab', { name: 'Rules' }).click();
    await page.getByTestId('rules-editor').waitFor();
    await page.getByTestId('new-rule-name').focus();
    await page.keyboard.type('anrede');
    await page.keyboard.press('Tab'); // the type (Text)
    await page.keyboard.press('Tab');
    await page.keyboard.type('{% if given_name != blank %}Hallo {{ given_name }}{% else %}Guten Tag{% endif %}');
    await page.keyboard.press('Enter');
    const value = (name: string) => page.getByTestId(`rule-value-${name}`).textContent();
    await expect.poll(() => value('anrede'), { timeout: 20_000 }).toBe('Hallo Jürgen');
    await page.getByRole('button', { name: 'Next record' }).click();
    await expect.poll(() => value('anrede'), { timeout: 20_000 }).toBe('Hallo Zoë');
    await page.getByTestId('new-rule-name').click();
    await page.getByTestId('new-rule-name').pressSequentially('grosskunde');
    await page.getByLabel('New rule type').selectOption('boolean');
    await page.getByTestId('new-rule-expression').click();
    await page.getByTestId('new-rule-expression').pressSequentially('{% if betrag > 100 %}yes{% endif %}');
    await page.getByTestId('add-rule').click();
    await expect.poll(() => value('grosskunde')).toBe('false'); // Zoë: 12,00 €
    await page.getByRole('button', { name: 'Previous record' }).click();
    await expect.poll(() => value('grosskunde'), { timeout: 20_000 }).toBe('true'); // Jürgen: 1.234,50 €
    expect(await page.getByTestId('rule-uses-anrede').textContent()).toBe('Not used yet');
    // A broken expression: the error and its line and column show while typing, before anything is saved.
    const expr = page.getByTestId('rule-expression-grosskunde');
    await expr.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Summe:');
    await page.keyboard.press('Enter');
    await page.keyboard.type('{{ betrag | money ');
    await expect.poll(() => page.getByTestId('rule-error-at-grosskunde').textContent()).toBe('Line 2, column 1: ');
    expect(await page.getByTestId('rule-error-grosskunde').textContent()).toContain('not closed');
    expect(await value('anrede')).toBe('Hallo Jürgen'); // the other rules keep their values
    await shot(page, '09-rules-error');
    await page.keyboard.press('Escape'); // back to the saved expression
    await expect.poll(() => value('grosskunde')).toBe('true');
    // A rule that reads another: the panel says where each rule is used.
    await page.getByTestId('new-rule-name').click();
    await page.keyboard.type('betreff');
    await page.getByLabel('New rule type').selectOption('text');
    await page.getByTestId('new-rule-expression').click();
    await page.keyboard.type('{{ rules.anrede }}, Ihr Angebot');
    await page.keyboard.press('Enter');
    await expect.poll(() => value('betreff')).toBe('Hallo Jürgen, Ihr Angebot');
    expect(await page.getByTestId('rule-uses-anrede').textContent()).toBe('Used byrule betreff');
    await shot(page, '10-rules');
    step('rules');

    // Data screen: every column is read now; the records carry typed values.
    await page.getByRole('button', { name: 'Data', exact: true }).click();
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toContain('3 records read from kunden.csv; no problems found.');
    const recordPanel = page.getByTestId('record-panel');
    await expect.poll(() => recordPanel.textContent()).toContain('Jürgen');
    expect(await recordPanel.textContent()).toContain('2026-04-03');
    await shot(page, '07-data-read');

    // Reopen the template from the Library: the data is still attached.
    await page.getByRole('button', { name: 'Library' }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await page.locator('.card', { hasText: 'Winter check' }).click();
    await page.getByRole('heading', { name: 'Winter check' }).waitFor();
    await page.getByRole('button', { name: 'Data', exact: true }).click();
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('3 records read from kunden.csv');
    step('reopen with data');

    // A second file, the same file again (no second library entry), switching between them, and the Library.
    await chooseFile(
      page,
      'Import data…',
      'kunden-2.csv',
      Buffer.from('Kunden-Nr.;Vorname;E-Mail;Betrag;Termin;Notiz\r\n2001;Ana;ana@example.de;5,00;02.01.2027;\u4e2d\u6587 😀\r\n', 'utf8'),
    );
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('1 record read from kunden-2.csv');
    await chooseFile(page, 'Import data…', 'kunden.csv', KUNDEN);
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('3 records read from kunden.csv');
    const switcher = page.getByTestId('dataset-switch');
    await expect.poll(() => switcher.locator('option').allTextContents()).toEqual(['kunden.csv (3 rows)', 'kunden-2.csv (1 row)']);
    await switcher.selectOption({ label: 'kunden-2.csv (1 row)' });
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('1 record read from kunden-2.csv');
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('open-dataset-kunden.csv').waitFor();
    expect(await page.locator('[data-testid^="open-dataset-"]').count()).toBe(2);
    await shot(page, '08-library-datasets');
    await page.getByTestId('open-dataset-kunden.csv').click();
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('3 records read from kunden.csv');
    step('switch datasets');
    expect(errors).toEqual([]);
  });
});
