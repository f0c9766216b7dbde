// Finding the server command: the `paperls.server.command` setting, else the interpreter the
// Python extension has selected running `-m paperls serve`, else a clear message with actions.
import * as vscode from "vscode";
import { execFile } from "child_process";
import { PVSC_EXTENSION_ID, PythonExtension } from "@vscode/python-extension";
import { readSettings } from "./settings";

export interface ServerCommand {
  command: string;
  args: string[];
  source: string;
}

/** The Python extension's API (typed by @vscode/python-extension), if it is installed. */
async function pythonApi(): Promise<PythonExtension | undefined> {
  if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) {
    return undefined;
  }
  try {
    return await PythonExtension.api();
  } catch {
    return undefined;
  }
}

function workspaceResource(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** The interpreter the Python extension has selected for the workspace, if it is a Python the
 * server runs on (3.10 or newer), else undefined with the reason in the output channel. */
async function pythonExtensionInterpreter(output: vscode.OutputChannel): Promise<string | undefined> {
  const api = await pythonApi();
  if (!api) {
    return undefined;
  }
  try {
    const env = await api.environments.resolveEnvironment(
      api.environments.getActiveEnvironmentPath(workspaceResource()));
    const exe = env?.executable.uri?.fsPath;
    const v = env?.version;
    if (exe && v && (v.major < 3 || (v.major === 3 && v.minor < 10))) {
      output.appendLine(`The selected interpreter ${exe} is Python ${v.major}.${v.minor}; paperls needs 3.10 or newer.`);
      return undefined;
    }
    return exe;
  } catch (err) {
    output.appendLine(`The Python extension gave no interpreter: ${err}`);
    return undefined;
  }
}

/** Calls `onChange` when the user picks another interpreter in the Python extension (the
 * template's way: the server runs on it, so it must restart). */
export async function onInterpreterChange(onChange: () => void): Promise<vscode.Disposable | undefined> {
  const api = await pythonApi();
  return api?.environments.onDidChangeActiveEnvironmentPath(() => onChange());
}

function hasPaperls(python: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(python, ["-c", "import paperls"], { timeout: 20000 }, (err) => resolve(!err));
  });
}

export async function findServer(output: vscode.OutputChannel): Promise<ServerCommand | undefined> {
  const { serverCommand } = readSettings();
  if (serverCommand.length > 0) {
    return { command: serverCommand[0], args: serverCommand.slice(1), source: "paperls.server.command" };
  }
  const python = await pythonExtensionInterpreter(output);
  if (python) {
    if (await hasPaperls(python)) {
      return { command: python, args: ["-m", "paperls", "serve"], source: `Python extension (${python})` };
    }
    output.appendLine(`paperls is not installed in ${python}`);
    const pick = await vscode.window.showErrorMessage(
      `paperls is not installed in the selected Python interpreter (${python}).`,
      "Install paperls",
      "Open setting",
    );
    if (pick === "Install paperls") {
      const term = vscode.window.createTerminal("Install paperls");
      term.show();
      term.sendText(`"${python}" -m pip install paperls`);
    } else if (pick === "Open setting") {
      void vscode.commands.executeCommand("workbench.action.openSettings", "paperls.server.command");
    }
    return undefined;
  }
  output.appendLine("No server command: paperls.server.command is empty and no Python interpreter is selected.");
  const pick = await vscode.window.showErrorMessage(
    "paperls cannot start: set paperls.server.command, or select a Python interpreter that has paperls installed.",
    "Open setting",
    "Select interpreter",
  );
  if (pick === "Open setting") {
    void vscode.commands.executeCommand("workbench.action.openSettings", "paperls.server.command");
  } else if (pick === "Select interpreter") {
    void vscode.commands.executeCommand("python.setInterpreter");
  }
  return undefined;
}
