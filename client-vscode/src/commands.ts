// The status bar item and the commands that need more than one request.
import * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/node";

interface Status {
  indexing: boolean;
  lists: number;
  abstracts: number;
  withCopies: number;
}

export class StatusBar implements vscode.Disposable {
  private item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  private timer: NodeJS.Timeout | undefined;
  private disposables: vscode.Disposable[] = [];

  constructor() {
    this.item.command = "paperls.showOutput";
    this.show("$(sync~spin) paperls", "starting");
  }

  show(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  attach(client: LanguageClient): void {
    // A restart attaches again: the previous client's listener goes first.
    this.disposables.forEach((d) => d.dispose());
    this.disposables = [];
    const refresh = async () => {
      try {
        const s = await client.sendRequest<Status>("paperls/status", {});
        if (s.indexing) {
          this.show("$(sync~spin) paperls: indexing", `${s.lists} lists so far`);
          this.schedule(refresh, 1000);
        } else {
          this.show(
            `$(book) ${s.abstracts.toLocaleString()} abstracts · ${s.withCopies.toLocaleString()} with copies`,
            `paperls: ${s.lists} lists indexed; ${s.withCopies} abstracts have another copy`,
          );
        }
      } catch {
        this.show("$(warning) paperls", "no status from the server");
      }
    };
    this.disposables.push(vscode.languages.onDidChangeDiagnostics(() => this.schedule(refresh, 500)));
    void refresh();
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => void fn(), ms);
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.disposables.forEach((d) => d.dispose());
    this.item.dispose();
  }
}

interface Similar {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  exact: boolean;
  similarity: number;
  label: string;
  title: string;
}

export type Loc = { uri: string; range: Similar["range"] };

/** The code lens command: the server's plain JSON turned into VS Code's references view,
 * by the client's own protocol converter. */
export async function showReferences(client: LanguageClient | undefined, uri: string,
  pos: { line: number; character: number }, locs: Loc[]): Promise<void> {
  if (!client) {
    return;
  }
  const c = client.protocol2CodeConverter;
  await vscode.commands.executeCommand("editor.action.showReferences", c.asUri(uri),
    c.asPosition(pos), locs.map((l) => c.asLocation(l)));
}

interface Related extends Loc {
  score: number;
  label: string;
  title: string;
}

export async function showRelated(client: LanguageClient | undefined): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor) {
    return;
  }
  const found = await client.sendRequest<Related[]>("paperls/related", {
    textDocument: { uri: editor.document.uri.toString() },
    position: editor.selection.active,
  });
  if (!found.length) {
    void vscode.window.showInformationMessage("No related abstract found (topics are still being read, or none is close).");
    return;
  }
  const pick = await vscode.window.showQuickPick(
    found.map((r) => ({ label: r.title, description: `${Math.round(r.score * 100)}% shared topics`, detail: r.label, r })),
    { placeHolder: "Papers on the same topics (not duplicates)" },
  );
  if (pick) {
    const loc = client.protocol2CodeConverter.asLocation(pick.r);
    const doc = await vscode.workspace.openTextDocument(loc.uri);
    await vscode.window.showTextDocument(doc, { selection: loc.range });
  }
}

export async function showSimilar(client: LanguageClient | undefined): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor) {
    return;
  }
  const found = await client.sendRequest<Similar[]>("paperls/similar", {
    textDocument: { uri: editor.document.uri.toString() },
    position: editor.selection.active,
  });
  if (!found.length) {
    void vscode.window.showInformationMessage("No other copy of this abstract in the workspace.");
    return;
  }
  const pick = await vscode.window.showQuickPick(
    found.map((s) => ({
      label: s.label,
      description: s.exact ? "exact copy" : `${Math.round(s.similarity * 100)}% similar`,
      detail: s.title,
      s,
    })),
    { placeHolder: "Other copies of this abstract" },
  );
  if (pick) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(pick.s.uri));
    const r = pick.s.range;
    await vscode.window.showTextDocument(doc, {
      selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
    });
  }
}

/** The next paperls duplicate finding after the cursor, in this file and then the others. */
export async function nextDuplicate(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const all = vscode.languages
    .getDiagnostics()
    .flatMap(([uri, ds]) =>
      ds.filter((d) => d.source === "paperls" && String(d.code ?? "").includes("duplicate")).map((d) => ({ uri, d })),
    )
    .sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()) || a.d.range.start.compareTo(b.d.range.start));
  if (!all.length) {
    void vscode.window.showInformationMessage("No duplicate abstracts found.");
    return;
  }
  const here = editor?.document.uri.toString() ?? "";
  const pos = editor?.selection.active ?? new vscode.Position(0, 0);
  const next =
    all.find((x) => x.uri.toString() === here && x.d.range.start.isAfter(pos)) ??
    all.find((x) => x.uri.toString() > here) ??
    all[0];
  const doc = await vscode.workspace.openTextDocument(next.uri);
  await vscode.window.showTextDocument(doc, { selection: next.d.range });
}

let reportPanel: vscode.WebviewPanel | undefined;

// The collection at a glance (the page `paperls report` writes), in a webview beside the editor.
export async function showReport(client: LanguageClient | undefined): Promise<void> {
  if (!client) {
    void vscode.window.showWarningMessage("paperls is not running.");
    return;
  }
  const got = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "paperls: building the report" },
    () => client.sendRequest<{ html: string; indexing: boolean }>("paperls/report", {}),
  );
  if (!reportPanel) {
    reportPanel = vscode.window.createWebviewPanel("paperls.report", "paperls report",
      vscode.ViewColumn.Beside, { enableScripts: true });
    reportPanel.onDidDispose(() => { reportPanel = undefined; });
  }
  reportPanel.webview.html = got.html;
  reportPanel.reveal();
  if (got.indexing) {
    void vscode.window.showInformationMessage("paperls is still indexing: the report shows what is indexed so far.");
  }
}
