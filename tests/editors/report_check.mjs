// Opens a `paperls report` page in headless Chromium, reads what each section shows, clicks the
// overlap cell, and keeps a screenshot. Usage: node report_check.mjs PAGE.html ARTEFACTS_DIR
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const [page_, artefacts] = process.argv.slice(2);
fs.mkdirSync(artefacts, { recursive: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu"] });
const out = {};
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith("file:")) errors.push("fetched " + r.url()); });
  await page.goto("file://" + path.resolve(page_));
  await page.waitForSelector("#paper-list .paper");
  out.stats = Object.fromEntries(await page.$$eval(".stat", (s) => s.map((e) =>
    [e.dataset.stat, e.querySelector("b").textContent])));
  out.papers = await page.$$eval("#paper-list .paper h3", (h) => h.map((e) => e.textContent));
  out.cells = await page.$$eval("table.heat td[data-pair]", (t) => t.map((e) => e.textContent));
  out.topics = await page.$$eval(".topic .name", (t) => t.map((e) => e.textContent));
  out.problems = await page.$eval("#problem-list", (e) => e.textContent);
  await page.screenshot({ path: path.join(artefacts, "report.png"), fullPage: true });
  await page.click("table.heat td[data-pair]");
  out.afterClick = await page.$eval("#paper-count", (e) => e.textContent);
  out.errors = errors;
  out.ok = true;
} catch (err) {
  out.error = String((err && err.stack) || err);
} finally {
  fs.writeFileSync(path.join(artefacts, "results.json"), JSON.stringify(out, null, 2));
  await browser.close();
}
