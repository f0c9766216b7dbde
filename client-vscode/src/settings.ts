// Reading the extension's settings. The server reads its own `paperls.*` settings through
// workspace/configuration; the client only needs how to start it and the trace level.
import * as vscode from "vscode";

export interface ClientSettings {
  serverCommand: string[];
  trace: "off" | "messages" | "verbose";
}

export function readSettings(): ClientSettings {
  const c = vscode.workspace.getConfiguration("paperls");
  const cmd = c.get<unknown>("server.command");
  return {
    serverCommand: Array.isArray(cmd) ? cmd.filter((x): x is string => typeof x === "string") : [],
    trace: c.get<"off" | "messages" | "verbose">("trace.server", "off"),
  };
}

/** The whole `paperls` section as one object (initializationOptions): every key the
 * extension declares, with no list of them to keep in step. */
export function serverSettings(): Record<string, unknown> {
  const section = vscode.workspace.getConfiguration("paperls");
  return { paperls: JSON.parse(JSON.stringify(section)) as Record<string, unknown> };
}
