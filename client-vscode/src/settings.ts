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

/** The `paperls` section as one object: sent as initializationOptions. */
export function serverSettings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration("paperls");
  const out: Record<string, unknown> = {};
  for (const key of [
    "nearDuplicate.threshold",
    "severity.duplicateInList",
    "severity.nearDuplicateInList",
    "severity.duplicateAcrossLists",
    "severity.nearDuplicateAcrossLists",
    "severity.format",
    "index.include",
    "index.exclude",
    "index.maxFileSizeMB",
    "completion.maxItems",
    "codeLens.enabled",
    "inlayHints.enabled",
    "inlayHints.maxLength",
    "references.mode",
    "cache.enabled",
    "cache.directory",
  ]) {
    out[key] = c.get(key);
  }
  return { paperls: out };
}
