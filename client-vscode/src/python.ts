// Finding the server command: the `paperls.server.command` setting, else the interpreter the
// Python extension has selected running `-m paperls serve`, else a clear message with actions.
import * as vscode from "vscode";
import { execFile } from "child_process";
import { readSettings } from "./settings";

export interface ServerCommand {
  command: string;
  args: string[];
  source: string;
}

async function pythonExtensionInterpreter(): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension("ms-python.python");
  if (!ext) {
    return undefined;
  }
  const api: any = ext.isActive ? ext.exports : await ext.activate();
  try {
    const envPath = api?.environments?.getActiveEnvironmentPath?.();
    if (envPath) {
      const env = await api.environments.resolveEnvironment(envPath);
      const exe = env?.executable?.uri?.fsPath;
      if (exe) {
        return exe;
      }
    }
    const legacy = api?.settings?.getExecutionDetails?.()?.execCommand;
    return Array.isArray(legacy) && legacy.length ? legacy[0] : undefined;
  } catch {
    return undefined;
  }
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
  const python = await pythonExtensionInterpreter();
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
