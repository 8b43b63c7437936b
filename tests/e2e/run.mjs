// doorman in a real browser: Debian's chromium driven by playwright-core.
// A person signs in through the dev IdP, sees their account, links the
// second provider, revokes a second browser's session from the page and
// signs out; axe-core checks the login, account and an error page in the
// light and dark schemes (no serious or critical violation), and every page
// fits 320 px without horizontal scrolling. Screenshots go to $SCREENSHOTS.
//
// Run by tests/e2e.rs with DOORMAN_URL, CHROMIUM and SCREENSHOTS set.

import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeScript = require.resolve('axe-core/axe.min.js');
const base = process.env.DOORMAN_URL;
const shots = process.env.SCREENSHOTS;
const problems = [];

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function step(text) {
  console.log(`- ${text}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function signInWithDev(page, name, email) {
  await page.goto(`${base}/login`);
  await page.getByRole('link', { name: 'Sign in with Dev' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}

async function axe(page, label) {
  await page.addScriptTag({ path: axeScript });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) {
    const nodes = v.nodes.map((n) => n.target.join(' ')).join(' | ');
    problems.push(`${label}: ${v.impact} ${v.id} (${v.help}) at ${nodes}`);
  }
  step(`axe on ${label}: ${bad.length} serious or critical`);
}

async function fits320(page, label) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 320) problems.push(`${label}: ${wide} px wide at a 320 px viewport`);
  step(`${label} at 320 px: ${wide} px wide`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

try {
  // axe is injected as a script, which doorman's CSP (no scripts) would refuse.
  const laptop = await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 800 } });
  const page = await laptop.newPage();

  step('sign in through the dev IdP');
  await signInWithDev(page, 'Ada Lovelace', 'ada@example.com');
  check((await page.textContent('h1')).includes('Ada Lovelace'), 'the home page names the user');

  step('see the account page');
  await page.getByRole('link', { name: /Your account/ }).click();
  await page.waitForURL(`${base}/account`);
  check((await page.getByText('This device').count()) === 1, 'this device is marked');

  step('link the second provider');
  await page.getByRole('button', { name: 'Link Corp' }).click();
  await page.waitForURL(`${base}/account`);
  check((await page.getByText('Corp · ada.corp').count()) === 1, 'the Corp identity is listed');

  step("revoke a second browser's session from the page");
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  await signInWithDev(phonePage, 'Ada Lovelace', 'ada@example.com');
  await page.reload();
  const revoke = page.getByRole('button', { name: /^Revoke/ });
  check((await revoke.count()) === 1, 'one other session to revoke');
  await revoke.click();
  await page.waitForURL(`${base}/account`);
  check((await page.getByRole('button', { name: /^Revoke/ }).count()) === 0, 'the other session is gone');
  await phonePage.goto(`${base}/account`);
  check(phonePage.url().startsWith(`${base}/login`), 'the revoked browser is signed out');
  await phone.close();

  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, url] of [
      ['login', '/login'],
      ['account', '/account'],
      ['error', '/auth/nosuch?next=/reports'],
    ]) {
      await page.goto(`${base}${url}`);
      await axe(page, `${name} (${scheme})`);
      await shot(page, `${name}-${scheme}`);
    }
  }

  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 320, height: 720 });
  for (const [name, url] of [
    ['login', '/login'],
    ['account', '/account'],
    ['error', '/auth/nosuch'],
  ]) {
    await page.goto(`${base}${url}`);
    await fits320(page, name);
    await shot(page, `${name}-320`);
  }
  await page.setViewportSize({ width: 1024, height: 800 });

  step('sign out');
  await page.goto(`${base}/account`);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
  await page.goto(`${base}/account`);
  check(page.url().startsWith(`${base}/login`), 'signed out for good');
  await laptop.close();
} finally {
  await browser.close();
}

if (problems.length > 0) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log('e2e: all checks passed');
