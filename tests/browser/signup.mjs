// signup.mjs BASE_URL OUT_DIR WEB_DB: the sign-up website in Debian's chromium,
// driven by puppeteer-core, on a phone-sized window (issue 15). The pages
// run with JavaScript switched off: open the gemeente page, go to the
// wijk, fill the form with one mistake (18+ not ticked), see the problem
// at its field, correct it, send, read the status page. Every page is
// checked with axe-core (run in the same browser, JavaScript on for that
// check only): no serious or critical violation. Then the bot's part is
// played by writing web.db as the bot does (python3's sqlite3): the
// admitted status page with its registration token, code and chat link;
// then the delete button. Screenshots of each page go to OUT_DIR. Prints
// one line per check and "N passed, N failed".
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const [base, out, webdb] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const chromium = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
let passed = 0, failed = 0;

function check(ok, what, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || !detail ? '' : ': ' + detail}`);
}

mkdirSync(out, { recursive: true });
const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  await page.setBypassCSP(true);   // for axe's script only; the site sends a strict policy

  // The accessibility check of the document on screen: JavaScript on for
  // the check only, off again for the site.
  async function axeCheck(name) {
    await page.setJavaScriptEnabled(true);
    await page.evaluate(axeSource);
    const res = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
    await page.setJavaScriptEnabled(false);
    check(res && res.url === page.url() && Array.isArray(res.violations), `axe ran on ${name}`);
    const bad = res.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
    check(bad.length === 0, `axe: no serious or critical violation on ${name}`,
          bad.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`).join('; '));
  }
  async function shot(name) {
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
    console.log(`screenshot ${out}/${name}.png`);
  }

  await page.setJavaScriptEnabled(false);
  let resp = await page.goto(`${base}/`, { waitUntil: 'load' });
  check(resp.status() === 200, 'the gemeente page opens');
  check((await page.content()).includes('/wijk/zoomwijck'), 'it lists the wijk');
  await shot('1-gemeente');
  await axeCheck('the gemeente page');

  await Promise.all([page.waitForNavigation(), page.click('a[href^="/wijk/zoomwijck"]')]);
  check(page.url().startsWith(`${base}/wijk/zoomwijck`), 'the link leads to the wijk page', page.url());
  let html = await page.content();
  check(html.includes('SAAR') || html.includes('Signaleer'), 'the wijk page explains SAAR');
  check(html.includes('112'), 'the wijk page says 112 first');
  check(html.includes('Spelregels'), 'the wijk page shows the spelregels');
  const noscript = await page.$$('script');
  check(noscript.length === 0, 'the page has no script');
  await shot('2-wijk');
  await axeCheck('the wijk page');

  // One mistake: the 18+ box not ticked.
  await page.type('#naam', 'Browser <b>Test</b>');
  await page.type('#adres', '7332 AB');
  await page.type('#telefoon', '06 12345678');
  await page.click('input[name=akkoord]');
  resp = (await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]))[0];
  html = await page.content();
  check(resp.status() === 422, 'a form with a mistake is sent back', String(resp.status()));
  check(html.includes('id="e-volwassen"'), 'the problem is named at the 18+ box');
  check(html.includes('value="Browser &lt;b&gt;Test&lt;/b&gt;"'), 'what was typed is kept, escaped');
  await shot('3-wijk-fout');
  await axeCheck('the wijk page with a problem');

  await page.click('input[name=volwassen]');
  resp = (await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]))[0];
  check(/\/status\/[0-9a-f]{64}/.test(page.url()), 'sending leads to the status page', page.url());
  html = await page.content();
  check(resp.status() === 200 && html.includes('data-state="new"'), 'the status page shows the application as sent');
  check(html.includes('Wis mijn aanmelding'), 'the status page can delete it');
  await shot('4-status');
  await axeCheck('the status page');

  const statusUrl = page.url().split('?')[0];
  await page.goto(`${statusUrl}?lang=en`, { waitUntil: 'load' });
  html = await page.content();
  check(html.includes('Your application'), 'the status page in English');
  await shot('5-status-en');

  // What the bot writes on admission (bot/web_intake.c: publish_one).
  execFileSync('python3', ['-c', `import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
n = db.execute("UPDATE web_apps SET state = 'admitted', wijkgroep = 'Wijkgroep Zuid', reg_token = 'Tok3nVoorDeTest', "
               "code = '7BCD-EFGH', expires = ?", (int(time.time()) + 86400,)).rowcount
db.commit()
sys.exit(0 if n == 1 else 1)`, webdb]);
  await page.goto(`${statusUrl}?lang=nl`, { waitUntil: 'load' });
  html = await page.content();
  check(html.includes('data-state="admitted"') && html.includes('Toegelaten'), 'the status page shows admitted');
  check(html.includes('Tok3nVoorDeTest'), 'the status page shows the registration token');
  check(html.includes('7BCD-EFGH'), 'the status page shows the code');
  check(html.includes('href="https://matrix.to/#/@buurtbot:localhost"'), 'the status page links to the bot');
  check(html.includes('href="https://app.element.io/#/register"'), 'the status page links to creating an account');
  await shot('6-status-toegelaten');
  await axeCheck('the admitted status page');

  resp = (await Promise.all([page.waitForNavigation(), page.click('button.secondary')]))[0];
  html = await page.content();
  check(html.includes('data-state="deleted"'), 'the delete button deletes the application');
  await shot('7-status-gewist');
  await axeCheck('the deleted status page');
} catch (e) {
  check(false, 'the browser run', e.stack || String(e));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
