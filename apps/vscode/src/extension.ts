/**
 * The thin VS Code adapter: activate() only registers the commands; each command wires VS Code widgets to the plain
 * services (update-user.ts, steps.ts, format.ts, config.ts). Nothing runs until a command does.
 */
import {
  createIntercomClient,
  describeChanges,
  FIELDS,
  lookupUser,
  planUpdate,
  updateUser,
  validateUpdateUserInput,
} from "@intercom-kit/domain";
import type { Sandbox } from "@intercom-kit/sandbox";
import * as vscode from "vscode";
import { type ExtensionSettings, resolveConnection, SETTINGS_SECTION, TOKEN_SECRET_KEY } from "./config.js";
import { NO_TOKEN_MESSAGE, sandboxStartedMessage, tokenClearedMessage, tokenSavedMessage } from "./format.js";
import type { Answer, ReviewAnswer, StepPosition, WizardStep } from "./steps.js";
import { chooseCredentials, releaseSandbox, type SandboxSlot, useSandbox } from "./target.js";
import {
  type Credentials,
  type DomainApi,
  type Host,
  type ReviewContent,
  runUpdateUser,
  type UpdateUserOutcome,
} from "./update-user.js";

const SCHEME = "intercom-kit";
const CHANNEL = "Intercom Kit";
const START_SANDBOX = "Start Sandbox";
const SET_TOKEN = "Set Access Token";

/** Everything one activation owns; lives in activate()'s closure, never in module state. */
interface Session {
  context: vscode.ExtensionContext;
  log(): vscode.LogOutputChannel;
  documents: Map<string, string>;
  /** The in-host sandbox; while one runs, Update User talks to it (see target.ts). */
  sandbox: SandboxSlot<Sandbox>;
  sequence: number;
}

export function activate(context: vscode.ExtensionContext): void {
  let channel: vscode.LogOutputChannel | undefined;
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
    sandbox: {},
    sequence: 0,
  };
  const emitter = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    emitter,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: emitter.event,
      provideTextDocumentContent: (uri) => session.documents.get(uri.path) ?? "",
    }),
    vscode.commands.registerCommand("intercomKit.updateUser", () => updateUserCommand(session)),
    vscode.commands.registerCommand("intercomKit.setAccessToken", () => setAccessToken(session)),
    vscode.commands.registerCommand("intercomKit.clearAccessToken", () => clearAccessToken(session)),
    vscode.commands.registerCommand("intercomKit.startSandbox", () => startSandboxCommand(session)),
    { dispose: () => releaseSandbox(session.sandbox) },
  );
}

export function deactivate(): void {}

const domain: DomainApi = {
  fields: FIELDS,
  validate: validateUpdateUserInput,
  planUpdate,
  lookupUser: (client, input, options) => lookupUser(client, input, options),
  describeChanges,
  updateUser: (client, input, options) => updateUser(client, input, options),
  createClient: createIntercomClient,
};

async function updateUserCommand(session: Session): Promise<UpdateUserOutcome> {
  try {
    return await runUpdateUser(hostFor(session), domain, { next: () => ++session.sequence });
  } catch (error) {
    // A programmer error: say so plainly and keep the details in the log.
    const message = error instanceof Error ? error.message : String(error);
    session.log().error(`Update User crashed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    void vscode.window.showErrorMessage(`Intercom: Update User failed unexpectedly: ${message}`);
    return { status: "cancelled" };
  }
}

function hostFor(session: Session): Host {
  const log = session.log();
  return {
    settings: readSettings,
    credentials: (): Promise<Credentials | undefined> =>
      chooseCredentials(session.sandbox, () => Promise.resolve(session.context.secrets.get(TOKEN_SECRET_KEY))),
    offerSetup: async () => {
      const chosen = await vscode.window.showWarningMessage(NO_TOKEN_MESSAGE, SET_TOKEN, START_SANDBOX);
      if (chosen === SET_TOKEN) return setAccessToken(session);
      if (chosen === START_SANDBOX) return startSandboxCommand(session);
      return false;
    },
    ask,
    busy: (title, task) =>
      Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, task)),
    review,
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
    showResult: async (name, json) => {
      const path = `/${name}`;
      session.documents.set(path, json);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: SCHEME, path }));
      await vscode.window.showTextDocument(doc, { preview: false });
    },
    info: (message) => void vscode.window.showInformationMessage(message),
    error: (message, actions) => Promise.resolve(vscode.window.showErrorMessage(message, ...actions)),
    showLog: () => log.show(true),
    openSettings: () => void vscode.commands.executeCommand("workbench.action.openSettings", SETTINGS_SECTION),
    setToken: async () => {
      await setAccessToken(session);
    },
    log,
  };
}

function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return { region: config.get("region"), apiVersion: config.get("apiVersion"), baseUrl: config.get("baseUrl") };
}

/**
 * Shows `input` and resolves with the first answer its listeners give; then the listeners and the input are
 * disposed (hiding a disposed input fires onDidHide again, which must not answer twice).
 */
function untilAnswered<A>(
  input: vscode.QuickInput,
  listen: (finish: (answer: A) => void) => vscode.Disposable[],
): Promise<A> {
  return new Promise<A>((resolve) => {
    let done = false;
    let disposables: vscode.Disposable[] = [];
    const finish = (answer: A) => {
      if (done) return;
      done = true;
      resolve(answer);
      for (const d of disposables) d.dispose();
      input.dispose();
    };
    disposables = listen(finish);
    input.show();
  });
}

/** One input box or quick pick for a step, with the step counter, Back button and inline validation. */
function ask(
  step: WizardStep,
  position: StepPosition,
  value: string,
  check: (text: string) => string | undefined,
): Promise<Answer> {
  const buttons = position.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  if (step.kind === "text") {
    const box = vscode.window.createInputBox();
    box.title = step.title;
    box.step = position.step;
    box.totalSteps = position.totalSteps;
    box.prompt = step.prompt;
    box.placeholder = step.placeholder;
    box.value = value;
    box.buttons = buttons;
    box.ignoreFocusOut = true;
    box.validationMessage = value === "" ? undefined : check(value);
    return untilAnswered<Answer>(box, (finish) => [
      box.onDidChangeValue((text) => {
        box.validationMessage = check(text);
      }),
      box.onDidAccept(() => {
        const message = check(box.value);
        box.validationMessage = message;
        if (message === undefined) finish({ action: "next", value: box.value });
      }),
      box.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish({ action: "back", value: box.value });
      }),
      box.onDidHide(() => finish({ action: "cancel" })),
    ]);
  }
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: string }>();
  pick.title = step.title;
  pick.step = position.step;
  pick.totalSteps = position.totalSteps;
  pick.placeholder = step.kind === "identify" ? "How should the user be found?" : step.field.hint;
  pick.items = step.items.map((item) => ({ label: item.label, detail: item.detail, value: item.value }));
  const active = pick.items.find((item) => item.value === value);
  if (active) pick.activeItems = [active];
  pick.buttons = buttons;
  pick.ignoreFocusOut = true;
  return untilAnswered<Answer>(pick, (finish) => [
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen) finish({ action: "next", value: chosen.value });
    }),
    pick.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) finish({ action: "back" });
    }),
    pick.onDidHide(() => finish({ action: "cancel" })),
  ]);
}

type ReviewItem = vscode.QuickPickItem & { answer?: ReviewAnswer };

/** The review: confirm first, then the changes (current → new) and the planned calls. */
function review(content: ReviewContent, position: StepPosition): Promise<ReviewAnswer> {
  const pick = vscode.window.createQuickPick<ReviewItem>();
  pick.step = position.step;
  pick.totalSteps = position.totalSteps;
  pick.buttons = [vscode.QuickInputButtons.Back];
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = false;
  const separator = (label: string): ReviewItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const items: ReviewItem[] = [];
  if (content.kind === "ready") {
    pick.title = `Intercom: Update User: review the change to ${content.who}`;
    pick.placeholder = "Confirm to update the user, or go back to change an answer";
    items.push({ label: "$(check) Update the user", description: content.summary, answer: "confirm" });
    items.push({ label: "$(arrow-left) Back", description: "change an answer", answer: "back" });
    items.push(separator("Changes (current → new)"));
    for (const change of content.changes) items.push({ label: change.label, description: change.description });
    if (content.changes.length === 0) items.push({ label: "No field differs from its current value" });
    items.push(separator("Planned calls"));
    for (const call of content.calls) items.push({ label: call });
    if (content.notes.length > 0) {
      items.push(separator("Notes"));
      for (const note of content.notes) items.push({ label: "$(info)", description: note });
    }
  } else {
    pick.title = "Intercom: Update User: some answers need fixing";
    pick.placeholder = "Go back to fix them";
    items.push({ label: "$(arrow-left) Back", description: "fix the answers below", answer: "back" });
    items.push(separator("Problems"));
    for (const error of content.errors) items.push({ label: "$(error)", description: error });
  }
  pick.items = items;
  return untilAnswered<ReviewAnswer>(pick, (finish) => [
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen?.answer) finish(chosen.answer);
    }),
    pick.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) finish("back");
    }),
    pick.onDidHide(() => finish("cancel")),
  ]);
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
  void vscode.window.showInformationMessage(tokenSavedMessage(resolveConnection(readSettings()), stopped));
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
