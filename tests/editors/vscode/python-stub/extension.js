// The part of the Python extension's API that paperls uses (the environments of
// @vscode/python-extension), over a fixed list of interpreters, with its Select Interpreter
// command: a quick pick that changes the active one and fires onDidChangeActiveEnvironmentPath.
const vscode = require("vscode");

function activate(context) {
  const paths = JSON.parse(process.env.PAPERLS_STUB_INTERPRETERS || "[]");
  let active = paths[0];
  const changed = new vscode.EventEmitter();
  const none = new vscode.EventEmitter();
  const resolved = (p) => ({
    id: p, path: p,
    executable: { uri: vscode.Uri.file(p), bitness: "64-bit", sysPrefix: "" },
    environment: undefined, tools: [],
    version: { major: 3, minor: 11, micro: 0, release: { level: "final", serial: 0 }, sysVersion: "3.11" },
  });
  context.subscriptions.push(changed, none, vscode.commands.registerCommand("python.setInterpreter", async () => {
    const pick = await vscode.window.showQuickPick(paths.map((p) => ({ label: p.split("/").pop(), description: p })),
                                                   { placeHolder: "Select Interpreter" });
    if (pick && pick.description !== active) {
      active = pick.description;
      changed.fire({ id: active, path: active, resource: undefined });
    }
  }));
  return {
    ready: Promise.resolve(),
    environments: {
      getActiveEnvironmentPath: () => ({ id: active, path: active }),
      updateActiveEnvironmentPath: async (p) => {
        active = typeof p === "string" ? p : p.path;
        changed.fire({ id: active, path: active, resource: undefined });
      },
      onDidChangeActiveEnvironmentPath: changed.event,
      resolveEnvironment: async (e) => resolved(typeof e === "string" ? e : e.path),
      get known() { return paths.map(resolved); },
      onDidChangeEnvironments: none.event,
      refreshEnvironments: async () => {},
      getEnvironmentVariables: () => ({}),
      onDidEnvironmentVariablesChange: none.event,
    },
  };
}

module.exports = { activate, deactivate() {} };
