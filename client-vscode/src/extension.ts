// Wiring only: output channel, status bar, commands, and the client's life cycle.
import * as vscode from "vscode";
import { LanguageClient, State } from "vscode-languageclient/node";
import { createClient } from "./client";
import { findServer, onInterpreterChange } from "./python";
import { readSettings } from "./settings";
import { Loc, nextDuplicate, showReferences, showRelated, showReport, showSimilar, StatusBar } from "./commands";

let client: LanguageClient | undefined;
let status: StatusBar | undefined;
// Restarts run one after another: a second request while one runs waits for it, so two
// servers never start at once (a command and a settings change can both ask).
let lifecycle: Promise<void> = Promise.resolve();

function restart(context: vscode.ExtensionContext, output: vscode.OutputChannel): Promise<void> {
  lifecycle = lifecycle.then(async () => {
    await stop();
    await start(context, output);
  }).catch((err) => output.appendLine(`restart failed: ${err}`));
  return lifecycle;
}

async function start(context: vscode.ExtensionContext, output: vscode.OutputChannel): Promise<void> {
  const server = await findServer(output);
  if (!server) {
    status?.show("$(error) paperls", "paperls could not start: see the output channel");
    return;
  }
  output.appendLine(`starting ${server.command} ${server.args.join(" ")} (from ${server.source})`);
  client = createClient(server, output);
  client.onDidChangeState((e) => {
    if (e.newState === State.Stopped) {
      status?.show("$(debug-disconnect) paperls", "the server stopped: run “paperls: Restart the server”");
    }
  });
  await client.start();
  status?.attach(client);
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    await c.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("paperls");
  status = new StatusBar();
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand("paperls.restart", () => restart(context, output)),
    vscode.commands.registerCommand("paperls.reindex", async () => {
      // The client registered the server's own command; run it as any VS Code command.
      await vscode.commands.executeCommand("paperls.server.reindex");
    }),
    vscode.commands.registerCommand("paperls.showSimilar", () => showSimilar(client)),
    vscode.commands.registerCommand("paperls.nextDuplicate", () => nextDuplicate()),
    vscode.commands.registerCommand("paperls.showRelated", () => showRelated(client)),
    vscode.commands.registerCommand("paperls.showReport", () => showReport(client)),
    vscode.commands.registerCommand("paperls.showReferences",
      (uri: string, pos: { line: number; character: number }, locs: Loc[]) =>
        showReferences(client, uri, pos, locs)),
    vscode.commands.registerCommand("paperls.showOutput", () => output.show()),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("paperls.server.command")) {
        await restart(context, output);
      }
      // Other paperls.* settings: the client forwards the change and the server pulls them.
    }),
  );
  // The server runs on the Python extension's interpreter unless paperls.server.command says
  // otherwise: picking another one restarts it there.
  const interpreter = await onInterpreterChange(() => {
    if (readSettings().serverCommand.length === 0) {
      output.appendLine("the selected Python interpreter changed: restarting the server");
      void restart(context, output);
    }
  });
  if (interpreter) {
    context.subscriptions.push(interpreter);
  }
  await restart(context, output);
}

export async function deactivate(): Promise<void> {
  await stop();
}
