// One plain file watcher on **/*.txt, each event a JSON line in PAPERLS_WATCH_PROBE_LOG: what
// VS Code itself reports for a change, to compare with what the language client forwards.
const vscode = require("vscode");
const fs = require("fs");

function activate(context) {
  const log = process.env.PAPERLS_WATCH_PROBE_LOG;
  if (!log) return;
  const watcher = vscode.workspace.createFileSystemWatcher("**/*.txt");
  const record = (type) => (uri) => fs.appendFileSync(log, JSON.stringify({ uri: uri.toString(), type }) + "\n");
  context.subscriptions.push(watcher, watcher.onDidCreate(record(1)), watcher.onDidChange(record(2)),
                             watcher.onDidDelete(record(3)));
  fs.appendFileSync(log, JSON.stringify({ ready: true }) + "\n");
}

module.exports = { activate, deactivate() {} };
