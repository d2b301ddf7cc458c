// Tokenize files with the carepath TextMate grammar through vscode-textmate and vscode-oniguruma,
// the engine VS Code itself uses. Prints JSON: {file: [[line, start, end, text, [scopes...]], ...]}.
"use strict";
const fs = require("fs");
const path = require("path");
const textmate = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const GRAMMAR = path.join(__dirname, "..", "syntaxes", "carepath.tmLanguage.json");

async function main(files) {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(fs.readFileSync(GRAMMAR, "utf8"), GRAMMAR),
  });
  const grammar = await registry.loadGrammar("source.carepath");
  const result = {};
  for (const file of files) {
    const tokens = [];
    let state = textmate.INITIAL;
    fs.readFileSync(file, "utf8").split(/\r?\n/).forEach((line, number) => {
      const found = grammar.tokenizeLine(line, state);
      for (const token of found.tokens) {
        tokens.push([number, token.startIndex, token.endIndex, line.slice(token.startIndex, token.endIndex),
                     token.scopes]);
      }
      state = found.ruleStack;
    });
    result[file] = tokens;
  }
  process.stdout.write(JSON.stringify(result));
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(String(error.stack || error) + "\n");
  process.exit(2);
});
