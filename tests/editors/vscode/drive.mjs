// Drives VS Code (code-server) in headless Chromium through the four features, on a folder of
// abstract lists, with the paperls extension installed from its .vsix. Writes results.json and
// a screenshot per step into the artefacts folder. The server runs through lsp_tap.py under
// two stand-in interpreters, whose logs say what the client sent. Usage:
//   node drive.mjs URL WORKSPACE_DIR ARTEFACTS_DIR TAP_LOG_A TAP_LOG_B WATCH_PROBE_LOG
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const [url, workspace, artefacts, tapA, tapB, probeLog] = process.argv.slice(2);
const tapEvents = (log) => (fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "")
  .split("\n").filter(Boolean).map((l) => JSON.parse(l));
// Until a tap log has an event the test is waiting for (the log is a file: polled).
const tapWait = async (log, pred, what, timeout = 30000) => {
  for (const end = Date.now() + timeout; Date.now() < end;) {
    if (tapEvents(log).some(pred)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} in ${log}`);
};
const watched = (name, type) => (e) => e.method === "workspace/didChangeWatchedFiles"
  && e.changes.some((c) => c.uri.endsWith("/" + name) && (type === undefined || c.type === type));
fs.mkdirSync(artefacts, { recursive: true });
const out = { steps: [] };
const shot = async (page, name) => {
  const file = path.join(artefacts, `${String(out.steps.length + 1).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file });
  out.steps.push({ name, screenshot: file });
};
const save = () => fs.writeFileSync(path.join(artefacts, "results.json"), JSON.stringify(out, null, 2));

const userData = fs.mkdtempSync(path.join(artefacts, "chromium-"));
const browser = await chromium.launchPersistentContext(userData, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = browser.pages()[0] ?? (await browser.newPage());
// Every wait is for a condition the user would see, never a fixed time.
const textIn = (selector, pattern, timeout = 30000) => page.waitForFunction(
  ([sel, pat]) => [...document.querySelectorAll(sel)].some((e) => new RegExp(pat).test(e.innerText)),
  [selector, pattern], { timeout });
const selection = () => page.locator(".statusbar-item[id*='status.editor.selection']").first()
  .innerText().catch(() => "");
try {
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 90000 });
  await page.waitForSelector(".explorer-folders-view .monaco-list-row", { timeout: 60000 });

  const open = async (name) => {
    await page.keyboard.press("Control+P");
    await page.waitForSelector(".quick-input-widget input", { timeout: 15000 });
    await page.keyboard.type(name);
    // Until the filtered list has the file in focus (Enter opens the focused row).
    await textIn(".quick-input-list .monaco-list-row.focused", name.replace(/[.]/g, "\\."));
    await page.keyboard.press("Enter");
    // The window title names the active editor (a tab's label may carry ", preview").
    await page.waitForFunction((n) => document.title.includes(n), name, { timeout: 15000 });
    await page.waitForSelector(".editor-instance .view-lines .view-line", { timeout: 15000 });
  };
  await open("000_7d92d4829f064b63.txt");

  // 1. Diagnostics: squiggles in the editor, entries in Problems.
  await page.waitForSelector(".squiggly-info, .squiggly-warning", { timeout: 60000 });
  out.squiggles = await page.locator(".squiggly-info, .squiggly-warning").count();
  await shot(page, "diagnostics-in-editor");
  await page.keyboard.press("Control+Shift+M");
  await page.waitForSelector(".markers-panel .monaco-list-row", { timeout: 15000 });
  out.problems = await page.locator(".markers-panel .monaco-list-row").allInnerTexts();
  await shot(page, "problems-panel");
  await page.keyboard.press("Control+Shift+M");

  // 2. Hover over the GPT-4o abstract (line 2).
  const lineEl = page.locator(".view-lines .view-line").nth(1);
  const box = await lineEl.boundingBox();
  await page.mouse.move(box.x + 200, box.y + 5);
  await page.mouse.move(box.x + 260, box.y + 6, { steps: 5 });
  await textIn(".monaco-hover", "GPT-4o", 20000);
  out.hover = (await page.locator(".monaco-hover").first().innerText()).slice(0, 2000);
  await shot(page, "hover-summary");
  await page.mouse.move(5, 5);
  await page.keyboard.press("Escape");

  // 3. Go to definition from the Codex abstract (line 8): lands in the other list.
  await page.keyboard.press("Control+G");
  await page.keyboard.type("8:20");
  await page.keyboard.press("Enter");
  await textIn(".statusbar-item[id*='status.editor.selection']", "Ln 8,", 10000);
  await page.keyboard.press("F12");
  await page.waitForSelector('.tab.active[aria-label*="002_d20af59fd061c140"]', { timeout: 20000 });
  out.afterDefinition = await page.locator(".tab.active").first().getAttribute("aria-label");
  out.cursorLine = await page.locator(".statusbar-item[id*='status.editor.selection']").first().innerText().catch(() => "");
  await shot(page, "definition-landed");

  // 4. Completion: a new line, "Abstract:We train sparse auto", then Ctrl+Space.
  await open("000_7d92d4829f064b63.txt");
  await page.keyboard.press("Control+End");
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Abstract:We train sparse auto", { delay: 20 });
  await page.keyboard.press("Control+Space");
  await textIn(".suggest-widget.visible .monaco-list-row", "autoencoder", 20000);
  out.completion = await page.locator(".suggest-widget.visible .monaco-list-row").allInnerTexts();
  await shot(page, "completion");
  await page.keyboard.press("Escape");
  out.statusBar = await page.locator(".statusbar-item").allInnerTexts();

  // 5. Commands: go to the next duplicate, and show similar abstracts (a quick pick).
  const command = async (title) => {
    await page.keyboard.press("F1");
    await page.waitForSelector(".quick-input-widget input", { timeout: 15000 });
    await page.keyboard.type(title);
    await textIn(".quick-input-list .monaco-list-row.focused", title.split(": ")[1]);
    await page.keyboard.press("Enter");
  };
  await page.keyboard.press("Control+Home");
  await textIn(".statusbar-item[id*='status.editor.selection']", "Ln 1,", 10000);
  await command("paperls: Go to the next duplicate");
  await page.waitForFunction(() => !/Ln 1,/.test(document.querySelector(
    ".statusbar-item[id*='status.editor.selection']")?.innerText ?? "Ln 1,"), null, { timeout: 15000 });
  out.afterNextDuplicate = await selection();
  await command("paperls: Show similar abstracts");
  await textIn(".quick-input-list .monaco-list-row", "002_d20af59fd061c140", 15000);
  out.similar = await page.locator(".quick-input-list .monaco-list-row").allInnerTexts();
  await shot(page, "show-similar");
  await page.keyboard.press("Escape");

  // The collection report opens in a webview beside the editor.
  await command("paperls: Show the collection report");
  await page.waitForSelector('.tab[aria-label*="paperls report"]', { timeout: 30000 });
  out.reportTab = await page.locator('.tab[aria-label*="paperls report"]').first().getAttribute("aria-label");
  // The page itself, inside the webview's frames: wait until it has drawn its figures.
  for (let i = 0; i < 100 && !out.reportStats; i++) {
    for (const f of page.frames()) {
      const stats = await f.$$eval(".stat", (s) => s.map((e) => e.textContent)).catch(() => []);
      if (stats.length) { out.reportStats = stats; break; }
    }
    if (!out.reportStats) await page.waitForTimeout(200);  // polling a frame that has no event
  }
  await shot(page, "report-webview");

  // 6. A settings change applies without a restart: cross-list copies become warnings.
  // (Workspace settings: VS Code watches the folder's .vscode/settings.json.)
  fs.mkdirSync(path.join(workspace, ".vscode"), { recursive: true });
  fs.writeFileSync(path.join(workspace, ".vscode", "settings.json"),
                   JSON.stringify({ "paperls.severity.duplicateAcrossLists": "warning" }));
  await page.waitForSelector(".squiggly-warning", { timeout: 30000 });
  out.warningsAfterSettingChange = await page.locator(".squiggly-warning").count();
  await shot(page, "setting-changed");

  // 7. Changes on disk: a new list, then an edit to it, then a second new list. Each reaches the
  // server; the test counts how often (once each, not once per watcher).
  const list = (text) => `Test Curator\nAbstract:${text}\n`;
  fs.writeFileSync(path.join(workspace, "003_watched.txt"), list("A first version of a watched list."));
  await tapWait(tapA, watched("003_watched.txt", 1), "the created event");
  fs.writeFileSync(path.join(workspace, "003_watched.txt"), list("A second version of a watched list."));
  await tapWait(tapA, watched("003_watched.txt", 2), "the changed event");
  fs.writeFileSync(path.join(workspace, "004_sentinel.txt"), list("The last change of the test."));
  await tapWait(tapA, watched("004_sentinel.txt"), "the sentinel's event");
  await tapWait(probeLog, (e) => e.uri && e.uri.endsWith("/004_sentinel.txt"), "the probe's sentinel");

  // 8. Picking another interpreter in the Python extension restarts the server on it.
  await command("Python: Select Interpreter");
  await textIn(".quick-input-list .monaco-list-row", "python-b", 15000);
  await page.keyboard.type("python-b");
  await textIn(".quick-input-list .monaco-list-row.focused", "python-b");
  await page.keyboard.press("Enter");
  await tapWait(tapB, (e) => e.event === "message" && e.method === "textDocument/didOpen",
                "the restarted server's didOpen", 60000);
  // The new server's findings, then the editor showing them: the old server's squiggles may
  // still be on screen a moment after it stopped, so a first squiggle proves nothing.
  await tapWait(tapB, (e) => (e.event === "diagnostics" && e.kind === "full" && e.items >= 3)
                || (e.method === "textDocument/publishDiagnostics" && e.items >= 3),
                "the restarted server's findings", 60000);
  await page.waitForFunction(() => document.querySelectorAll(
    ".squiggly-warning, .squiggly-info").length >= 3, null, { timeout: 30000 }).catch(() => {});
  out.squigglesAfterInterpreterChange = await page.locator(".squiggly-warning, .squiggly-info").count();
  await shot(page, "interpreter-changed");
  out.ok = true;
} catch (err) {
  out.error = String(err && err.stack || err);
  await shot(page, "failure").catch(() => {});
} finally {
  save();
  await browser.close();
  fs.rmSync(userData, { recursive: true, force: true });
}
