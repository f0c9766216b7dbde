// The language client: how the server is started and which documents it sees.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from "vscode-languageclient/node";
import { ServerCommand } from "./python";
import { serverSettings } from "./settings";

export function createClient(server: ServerCommand, output: vscode.OutputChannel): LanguageClient {
  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    options: { env: { ...process.env, PYTHONUNBUFFERED: "1" } },
  };
  const clientOptions: LanguageClientOptions = {
    // .abstracts files, and plain text files: the server decides which are abstract lists.
    documentSelector: [
      { scheme: "file", language: "abstracts" },
      { scheme: "file", language: "plaintext" },
      { scheme: "untitled", language: "abstracts" },
    ],
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: serverSettings(),
    // No `synchronize` block: the server registers what it needs dynamically, file watchers
    // (index.include, marks, paperls.toml, reference files: a static watcher here sent every
    // change twice) and didChangeConfiguration for the `paperls` section, after which it
    // pulls the settings through workspace/configuration (the deprecated push-style
    // configurationSection is not used).
  };
  // The client reads `paperls.trace.server` itself (its id is "paperls").
  return new LanguageClient("paperls", "paperls", serverOptions, clientOptions);
}
