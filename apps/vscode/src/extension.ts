/**
 * The thin VS Code adapter: activate() only registers the commands; each command wires VS Code widgets to the plain
 * services (update-user.ts, steps.ts, format.ts, config.ts, target.ts). Nothing runs until a command does.
 */
import { FIELDS, type FieldKey } from "@intercom-kit/domain";
import type { Sandbox } from "@intercom-kit/sandbox";
import * as vscode from "vscode";
import { type ExtensionSettings, SETTINGS_SECTION, TOKEN_SECRET_KEY } from "./config.js";
import {
  backendName,
  CHECK_TOKEN,
  NO_RESULT_MESSAGE,
  NO_TOKEN_MESSAGE,
  SET_TOKEN,
  START_SANDBOX,
  sandboxStartedMessage,
  tokenCheckMessage,
  tokenClearedMessage,
  tokenSavedMessage,
} from "./format.js";
import { wizardUi } from "./quick-input.js";
import type { WizardState } from "./steps.js";
import { connect, releaseSandbox, type SandboxSlot, useSandbox } from "./target.js";
import { checkToken, type Host, type LastResult, runUpdateUser, type UpdateUserOutcome } from "./update-user.js";

const SCHEME = "intercom-kit";
const CHANNEL = "Intercom Kit";

/** Everything one activation owns; lives in activate()'s closure, never in module state. */
interface Session {
  context: vscode.ExtensionContext;
  log(): vscode.LogOutputChannel;
  /** Result documents by path, served by the `intercom-kit:` provider. */
  documents: Map<string, string>;
  changed: vscode.EventEmitter<vscode.Uri>;
  /** The in-host sandbox; while one runs, Update User talks to it (see target.ts). */
  sandbox: SandboxSlot<Sandbox>;
  last?: LastResult;
  /** What was chosen to change last time, offered again. */
  chosen?: readonly FieldKey[];
}

export function activate(context: vscode.ExtensionContext): void {
  let channel: vscode.LogOutputChannel | undefined;
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const session: Session = {
    context,
    // Created on first use, so activation itself costs nothing.
    log: () => {
      if (!channel) {
        channel = vscode.window.createOutputChannel(CHANNEL, { log: true });
        context.subscriptions.push(channel);
      }
      return channel;
    },
    documents: new Map(),
    changed,
    sandbox: {},
  };
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => session.documents.get(uri.path) ?? "",
    }),
    vscode.commands.registerCommand("intercomKit.updateUser", () => updateUserCommand(session)),
    vscode.commands.registerCommand("intercomKit.setAccessToken", () => setAccessToken(session)),
    vscode.commands.registerCommand("intercomKit.clearAccessToken", () => clearAccessToken(session)),
    vscode.commands.registerCommand("intercomKit.startSandbox", () => startSandboxCommand(session)),
    vscode.commands.registerCommand("intercomKit.showLastResult", () => showLastResult(session)),
    { dispose: () => releaseSandbox(session.sandbox) },
  );
}

export function deactivate(): void {}

async function updateUserCommand(session: Session): Promise<UpdateUserOutcome> {
  try {
    return await runUpdateUser(hostFor(session), {
      fields: FIELDS,
      remember: (result) => {
        session.last = result;
      },
      initial: { values: {}, ...(session.chosen ? { chosen: session.chosen } : {}) },
      keep: (state: WizardState) => {
        if (state.chosen?.length) session.chosen = state.chosen;
      },
    });
  } catch (error) {
    // A programmer error: say so plainly and keep the details in the log.
    const message = error instanceof Error ? error.message : String(error);
    session.log().error(`Update User crashed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    void vscode.window.showErrorMessage(`Intercom: Update User failed unexpectedly: ${message}`);
    return { status: "cancelled" };
  }
}

function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    region: config.get("region"),
    apiVersion: config.get("apiVersion"),
    baseUrl: config.get("baseUrl"),
    timeoutSeconds: config.get("timeoutSeconds"),
  };
}

function hostFor(session: Session): Host {
  const log = session.log();
  return {
    settings: readSettings,
    readToken: () => Promise.resolve(session.context.secrets.get(TOKEN_SECRET_KEY)),
    slot: session.sandbox,
    offerSetup: async () => {
      const chosen = await vscode.window.showWarningMessage(NO_TOKEN_MESSAGE, SET_TOKEN, START_SANDBOX);
      if (chosen === SET_TOKEN) return setAccessToken(session);
      if (chosen === START_SANDBOX) return startSandboxCommand(session);
      return false;
    },
    ui: wizardUi(),
    progress: (title, task) =>
      Promise.resolve(
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title, cancellable: true },
          (progress, token) => {
            const controller = new AbortController();
            const subscription = token.onCancellationRequested(() => controller.abort());
            return task((message) => progress.report({ message }), controller.signal).finally(() =>
              subscription.dispose(),
            );
          },
        ),
      ),
    showResult: (name, json) => openResult(session, { name, json }),
    info: (message) => void vscode.window.showInformationMessage(message),
    error: (message, actions) => Promise.resolve(vscode.window.showErrorMessage(message, ...actions)),
    showLog: () => log.show(true),
    openSettings: () => void vscode.commands.executeCommand("workbench.action.openSettings", SETTINGS_SECTION),
    setToken: () => setAccessToken(session),
    startSandbox: () => startSandboxCommand(session),
    log,
  };
}

/** Opens a result as a read-only JSON document whose tab is named after the user. */
async function openResult(session: Session, result: LastResult): Promise<void> {
  const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${result.name}` });
  session.documents.set(uri.path, result.json);
  session.changed.fire(uri); // an already open document of the same user shows the new content
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
}

async function showLastResult(session: Session): Promise<boolean> {
  if (!session.last) {
    void vscode.window.showInformationMessage(NO_RESULT_MESSAGE);
    return false;
  }
  await openResult(session, session.last);
  return true;
}

async function setAccessToken(session: Session): Promise<boolean> {
  const token = await vscode.window.showInputBox({
    title: "Intercom: Set Access Token",
    prompt:
      "Your Intercom access token (Developer Hub > your app > Authentication). It is kept in VS Code's secret storage only.",
    placeHolder: "Paste the access token",
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) =>
      text.trim() === "" ? "Paste a token" : /\s/.test(text.trim()) ? "A token has no spaces" : undefined,
  });
  if (token === undefined) return false;
  await session.context.secrets.store(TOKEN_SECRET_KEY, token.trim());
  session.log().info("access token saved in secret storage");
  // A token means "talk to Intercom": stop the in-host sandbox so Update User does not keep using it.
  const stopped = await stopSandbox(session);
  const target = await connect({
    settings: readSettings(),
    slot: session.sandbox,
    readToken: () => Promise.resolve(session.context.secrets.get(TOKEN_SECRET_KEY)),
  });
  const message = tokenSavedMessage(
    target.ok ? target.backend.info : target.reason === "error" ? target.error : undefined,
    stopped,
  );
  // Not awaited: the offer to check stays until the person answers it, and the command (or Update User) goes on.
  void Promise.resolve(
    target.ok
      ? vscode.window.showInformationMessage(message, CHECK_TOKEN)
      : vscode.window.showInformationMessage(message),
  ).then(async (chosen) => {
    if (chosen !== CHECK_TOKEN || !target.ok) return;
    const backend = target.backend;
    const check = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Checking the access token with ${backendName(backend.info)}…`,
        cancellable: true,
      },
      (_progress, cancel) => {
        const controller = new AbortController();
        const subscription = cancel.onCancellationRequested(() => controller.abort());
        return checkToken(backend.createClient(), controller.signal).finally(() => subscription.dispose());
      },
    );
    const text = tokenCheckMessage(check, backend.info);
    session.log().info(`token check: ${check.ok ? "accepted" : check.error.kind}`);
    if (check.ok) void vscode.window.showInformationMessage(text);
    else
      void vscode.window.showErrorMessage(text, ...(check.rejected ? [SET_TOKEN] : [])).then((c) => {
        if (c === SET_TOKEN) void setAccessToken(session);
      });
  });
  return true;
}

async function clearAccessToken(session: Session): Promise<void> {
  await session.context.secrets.delete(TOKEN_SECRET_KEY);
  session.log().info("access token removed from secret storage");
  const stopped = await stopSandbox(session);
  void vscode.window.showInformationMessage(tokenClearedMessage(stopped));
}

async function stopSandbox(session: Session): Promise<boolean> {
  const stopped = await releaseSandbox(session.sandbox);
  if (stopped) session.log().info("sandbox stopped; Update User talks to Intercom");
  return stopped;
}

async function startSandboxCommand(session: Session): Promise<boolean> {
  const { startSandbox, SEED } = require("./sandbox.js") as typeof import("./sandbox-entry.js");
  const { sandbox, started } = await useSandbox(session.sandbox, startSandbox);
  if (started) session.log().info(`sandbox listening on ${sandbox.url}`);
  void vscode.window.showInformationMessage(sandboxStartedMessage(sandbox.url, SEED.user));
  return true;
}
