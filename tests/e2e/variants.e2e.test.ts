import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebHost } from '../../main/web-host';
import { openStudio, ROOT, type StudioSession } from './studio-session';

/**
 * Dealer variant sets in Chromium through the web host: import a dealer CSV, see its problems on the cells
 * and by row and column, fix one in the table, save, attach to the sample template, see the record resolve
 * to the new dealer and the email preview carry the dealer's values; reload and find it all kept.
 */
const ARTIFACTS = join(ROOT, 'tests/artifacts/studio');

const shot = async (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

const CSV = [
  'dealer_id,label,name,phone,url,email,logo,street,city_line,swatch:brand-red',
  'NS01,Harbor Light Motors,Harbor Light Motors,(614) 555-7777,https://harbor-light.example,service@harbor-light.example,logo-northside,1 Pier Road,"Columbus, OH 43215",dealer-green',
  'LK02,Lakeview Auto Group,Lakeview Auto Group,(773) 555-0187,https://lakeview-auto.example,service-at-lakeview,logo-lakeview,4800 N Western Avenue,"Chicago, IL 60625",',
].join('\n');

describe('dealer variant sets through the web host (Chromium)', () => {
  let session: StudioSession | undefined;
  let dir: string;
  let host: WebHost;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    session = await openStudio({ prefix: 'variants-e2e-', artifacts: ARTIFACTS, viewport: { width: 1440, height: 960 }, errors });
    ({ dir, host, page } = session);
  });

  afterAll(() => session?.close());

  it('imports, fixes, attaches and previews a dealer set, and keeps it after a reload', async () => {
    const csvPath = join(dir, 'spring-dealers.csv');
    writeFileSync(csvPath, CSV);
    await page.goto(host.url);
    await page.getByTestId('open-sample').click();
    await expect.poll(() => page.getByTestId('current-template').textContent(), { timeout: 30_000 }).toContain('Service reminder');

    await page.getByRole('button', { name: 'Dealers' }).click();
    await page.getByTestId('import-variants').setInputFiles(csvPath);
    await page.getByTestId('variant-table').waitFor();
    // The bad email is shown on its cell and listed by row and column.
    await expect.poll(() => page.getByTestId('variant-problems').textContent()).toContain('"service-at-lakeview" is not an email address');
    const bad = page.getByTestId('vcell-2-email');
    expect(await bad.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('variant-problems').locator('tbody tr').first().locator('td').nth(1).textContent()).toBe('email');
    expect(await page.getByTestId('vcell-1-swatch:brand-red').inputValue()).toBe('dealer-green');
    await shot(page, '14-dealers-imported');

    // Attach is refused while a problem remains, with the reason.
    expect(await page.getByTestId('variant-key-field').inputValue()).toBe('dealer_id');
    await page.getByTestId('attach-variants').click();
    await expect.poll(() => page.getByTestId('problem').textContent()).toContain('problem');
    await page.getByTestId('problem').getByRole('button', { name: 'Dismiss' }).click();

    // Fix it in the table, save, attach.
    await bad.fill('service@lakeview-auto.example');
    await page.getByTestId('save-variants').click();
    await expect.poll(() => page.getByTestId('variant-problems').textContent()).toContain('No problems');
    expect(await page.getByTestId('vcell-2-email').getAttribute('aria-invalid')).toBeNull();
    await page.getByTestId('attach-variants').click();
    await expect.poll(() => page.getByTestId('variants-note').textContent()).toContain('Attached');
    await expect.poll(() => page.getByTestId('variants-attached').textContent()).toContain('uses 2 dealers, picked by dealer_id');
    // The sample record (dealer_id NS01) now resolves to the imported dealer.
    await expect.poll(() => page.getByTestId('record-dealer').textContent()).toContain('Harbor Light Motors');
    await shot(page, '15-dealers-attached');

    // The email preview for that record carries the dealer's name and phone.
    await page.getByRole('button', { name: 'Template & preview' }).click();
    await page.getByRole('tab', { name: 'Email', exact: true }).click();
    const frame = page.frameLocator('[data-testid="email-frame"]');
    await expect.poll(async () => (await frame.locator('body').textContent()) ?? '', { timeout: 60_000 }).toContain('Harbor Light Motors');
    expect(await frame.locator('body').textContent()).toContain('(614) 555-7777');
    await shot(page, '16-dealer-email-preview');

    // Save, reload the studio, reopen: the set is in the library with the fix, and still attached.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved in the library').waitFor();
    await page.reload();
    await page.locator('.card', { hasText: 'Service reminder' }).click();
    await page.getByRole('button', { name: 'Dealers' }).click();
    await expect.poll(() => page.getByTestId('variants-attached').textContent()).toContain('uses 2 dealers');
    await page.getByTestId('open-set-spring-dealers.csv').click();
    expect(await page.getByTestId('vcell-2-email').inputValue()).toBe('service@lakeview-auto.example');
    expect(errors).toEqual([]);
  });
});
