// The carepath extension: highlighting comes from the grammar; everything else from `carepath lsp`.
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

/** Start the language server as the settings say, for carepath documents on disk and unsaved. */
function activate(context) {
  const settings = vscode.workspace.getConfiguration("carepath");
  const command = settings.get("server.command", "carepath");
  const args = settings.get("server.args", ["lsp", "--stdio"]);
  const server = { command, args };
  const options = {
    documentSelector: [{ scheme: "file", language: "carepath" }, { scheme: "untitled", language: "carepath" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.scenarios.yaml") },
  };
  client = new LanguageClient("carepath", "carepath", server, options);
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration("carepath.server")) {
      vscode.window.showInformationMessage("carepath: reload the window to restart the language server.");
    }
  }));
  return client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `carepath: could not start \`${command} ${args.join(" ")}\` (${error.message}); ` +
      "set carepath.server.command to the carepath program, e.g. .venv/bin/carepath");
  });
}

/** Stop the language server with the extension. */
function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
