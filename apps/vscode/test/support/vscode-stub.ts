/**
 * A small stand-in for the `vscode` module, enough to run the bundled extension in plain Node: it records what the
 * extension shows and answers its prompts from a script. Only what the extension uses is here.
 */

export type Question =
  | {
      kind: "input";
      title: string | undefined;
      prompt: string | undefined;
      placeholder: string | undefined;
      step: number | undefined;
      totalSteps: number | undefined;
      /** What the box holds when shown (what was typed before, on Back). */
      value: string;
      password: boolean;
      /** Set when the previous answer was refused inline. */
      validationMessage: string | undefined;
      hasBack: boolean;
    }
  | {
      kind: "pick";
      title: string | undefined;
      placeholder: string | undefined;
      step: number | undefined;
      totalSteps: number | undefined;
      labels: string[];
      descriptions: string[];
      active: string | undefined;
      hasBack: boolean;
      /** Multi-select: the labels ticked when shown. */
      many: boolean;
      selected: string[];
    };

export type Reply =
  | { type: "type"; value: string }
  | { type: "pick"; label: string }
  /** Multi-select: tick exactly these labels (one change event, as a click on each would end), then accept. */
  | { type: "select"; labels: string[] }
  | { type: "back" }
  | { type: "escape" };

export interface Message {
  level: "info" | "warning" | "error";
  text: string;
  actions: string[];
}

export interface Recorder {
  questions: Question[];
  messages: Message[];
  /** Log lines of every output channel, as "level message". */
  log: string[];
  logShown: number;
  documents: Array<{ uri: string; text: string }>;
  progress: Array<{ title: string | undefined; messages: string[] }>;
  executed: string[];
  outputChannels: number;
}

type Fn = (...args: never[]) => unknown;

class EventEmitter<T> {
  private listeners: Array<(value: T) => unknown> = [];
  event = (listener: (value: T) => unknown) => {
    this.listeners.push(listener);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

const BACK = Object.freeze({ id: "back" });

export interface Stub {
  vscode: Record<string, unknown>;
  record: Recorder;
  settings: Record<string, unknown>;
  secrets: Map<string, string>;
  /** Answers each prompt; throws to fail the test when a prompt is unexpected. */
  answer: (q: Question) => Reply;
  /** Chooses a message action (or undefined to leave it). */
  chooseAction: (m: Message) => string | undefined;
  /** When true, a cancellable progress is cancelled as soon as its task has started (the person clicks Cancel). */
  cancelProgress: boolean;
  /** Cancels a progress once it reports a message this matches (the person reads it, then clicks Cancel). */
  cancelProgressWhen: RegExp | undefined;
  reset(): void;
  context(): { subscriptions: Array<{ dispose(): unknown }>; secrets: unknown };
}

export function createVscodeStub(): Stub {
  const fresh = (): Recorder => ({
    questions: [],
    messages: [],
    log: [],
    logShown: 0,
    documents: [],
    progress: [],
    executed: [],
    outputChannels: 0,
  });
  const commands = new Map<string, Fn>();
  const providers = new Map<string, { provideTextDocumentContent(uri: unknown): string }>();
  const stub: Stub = {
    vscode: {},
    record: fresh(),
    settings: {},
    secrets: new Map(),
    answer: (q) => {
      throw new Error(`unexpected prompt: ${JSON.stringify(q)}`);
    },
    chooseAction: () => undefined,
    cancelProgress: false,
    cancelProgressWhen: undefined,
    reset() {
      stub.record = fresh();
    },
    context: () => ({
      subscriptions: [],
      secrets: {
        get: async (key: string) => stub.secrets.get(key),
        store: async (key: string, value: string) => void stub.secrets.set(key, value),
        delete: async (key: string) => void stub.secrets.delete(key),
        onDidChange: new EventEmitter<unknown>().event,
      },
    }),
  };

  const message =
    (level: Message["level"]) =>
    async (text: string, ...rest: unknown[]) => {
      const actions = rest.filter((a): a is string => typeof a === "string");
      const m = { level, text, actions };
      stub.record.messages.push(m);
      return stub.chooseAction(m);
    };

  /** Shared by input boxes and quick picks: ask the script after show(), retry while the widget stays open. */
  function drive(widget: { hidden: boolean; question(): Question; apply(reply: Reply): void; hide(): void }): void {
    let tries = 0;
    const turn = () => {
      if (widget.hidden) return;
      if (++tries > 5) {
        widget.hide();
        return;
      }
      const q = widget.question();
      stub.record.questions.push(q);
      let reply: Reply;
      try {
        reply = stub.answer(q);
      } catch (error) {
        stub.record.messages.push({ level: "error", text: `STUB: ${(error as Error).message}`, actions: [] });
        widget.hide();
        return;
      }
      widget.apply(reply);
      setTimeout(turn, 0);
    };
    setTimeout(turn, 0);
  }

  function createInputBox() {
    const onValue = new EventEmitter<string>();
    const onAccept = new EventEmitter<void>();
    const onButton = new EventEmitter<unknown>();
    const onHide = new EventEmitter<void>();
    const box = {
      title: undefined as string | undefined,
      step: undefined as number | undefined,
      totalSteps: undefined as number | undefined,
      prompt: undefined as string | undefined,
      placeholder: undefined as string | undefined,
      value: "",
      password: false,
      buttons: [] as unknown[],
      ignoreFocusOut: false,
      validationMessage: undefined as string | { message: string; severity: number } | undefined,
      hidden: false,
      onDidChangeValue: onValue.event,
      onDidAccept: onAccept.event,
      onDidTriggerButton: onButton.event,
      onDidHide: onHide.event,
      show: () => drive(box),
      hide: () => {
        if (box.hidden) return;
        box.hidden = true;
        onHide.fire();
      },
      dispose: () => {
        box.hidden = true;
      },
      question: (): Question => ({
        kind: "input",
        title: box.title,
        prompt: box.prompt,
        placeholder: box.placeholder,
        step: box.step,
        totalSteps: box.totalSteps,
        value: box.value,
        password: box.password,
        validationMessage: messageText(box.validationMessage),
        hasBack: box.buttons.includes(BACK),
      }),
      apply: (reply: Reply) => {
        if (reply.type === "escape") return box.hide();
        if (reply.type === "back") return onButton.fire(BACK);
        if (reply.type !== "type") throw new Error(`an input box cannot take ${reply.type}`);
        box.value = reply.value;
        onValue.fire(reply.value);
        onAccept.fire();
      },
    };
    return box;
  }

  function createQuickPick() {
    const onAccept = new EventEmitter<void>();
    const onButton = new EventEmitter<unknown>();
    const onHide = new EventEmitter<void>();
    const onSelection = new EventEmitter<unknown[]>();
    type Item = { label: string; description?: string; kind?: number };
    const pick = {
      title: undefined as string | undefined,
      step: undefined as number | undefined,
      totalSteps: undefined as number | undefined,
      placeholder: undefined as string | undefined,
      items: [] as Item[],
      activeItems: [] as Item[],
      selectedItems: [] as Item[],
      buttons: [] as unknown[],
      ignoreFocusOut: false,
      matchOnDescription: false,
      matchOnDetail: false,
      canSelectMany: false,
      busy: false,
      hidden: false,
      onDidChangeSelection: onSelection.event,
      onDidAccept: onAccept.event,
      onDidTriggerButton: onButton.event,
      onDidHide: onHide.event,
      show: () => drive(pick),
      hide: () => {
        if (pick.hidden) return;
        pick.hidden = true;
        onHide.fire();
      },
      dispose: () => {
        pick.hidden = true;
      },
      question: (): Question => {
        const items = pick.items.filter((i) => i.kind !== -1);
        return {
          kind: "pick",
          title: pick.title,
          placeholder: pick.placeholder,
          step: pick.step,
          totalSteps: pick.totalSteps,
          labels: items.map((i) => i.label),
          descriptions: items.map((i) => i.description ?? ""),
          active: pick.activeItems[0]?.label,
          hasBack: pick.buttons.includes(BACK),
          many: pick.canSelectMany,
          selected: pick.selectedItems.map((i) => i.label),
        };
      },
      apply: (reply: Reply) => {
        if (reply.type === "escape") return pick.hide();
        if (reply.type === "back") return onButton.fire(BACK);
        if (reply.type === "select") {
          if (!pick.canSelectMany) throw new Error("this quick pick is not a multi-select");
          const chosen = reply.labels.map((label) => {
            const item = pick.items.find((i) => i.kind !== -1 && i.label.replace(/^(\$\([a-z-]+\))+/, "") === label);
            if (!item) throw new Error(`no item "${label}" in ${pick.items.map((i) => i.label).join(" | ")}`);
            return item;
          });
          pick.selectedItems = chosen;
          onSelection.fire(chosen);
          onAccept.fire();
          return;
        }
        if (reply.type !== "pick") throw new Error(`a quick pick cannot take ${reply.type}`);
        const item = pick.items.find((i) => i.kind !== -1 && i.label === reply.label);
        if (!item) throw new Error(`no item "${reply.label}" in ${pick.items.map((i) => i.label).join(" | ")}`);
        pick.selectedItems = [item];
        pick.activeItems = [item];
        onAccept.fire();
      },
    };
    return pick;
  }

  const uri = (scheme: string, path: string) => ({ scheme, path, toString: () => `${scheme}:${path}` });
  const messageText = (m: string | { message: string } | undefined) => (typeof m === "object" ? m.message : m);

  stub.vscode = {
    EventEmitter,
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    QuickInputButtons: { Back: BACK },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
    Uri: { from: ({ scheme, path }: { scheme: string; path: string }) => uri(scheme, path) },
    commands: {
      registerCommand: (id: string, fn: Fn) => {
        commands.set(id, fn);
        return { dispose: () => commands.delete(id) };
      },
      executeCommand: async (id: string, ...args: unknown[]) => {
        stub.record.executed.push(id);
        const fn = commands.get(id);
        return fn ? (fn as (...a: unknown[]) => unknown)(...args) : undefined;
      },
      registered: () => [...commands.keys()],
    },
    workspace: {
      getConfiguration: (section: string) => ({
        get: (key: string) => stub.settings[`${section}.${key}`],
      }),
      registerTextDocumentContentProvider: (
        scheme: string,
        provider: { provideTextDocumentContent(u: unknown): string },
      ) => {
        providers.set(scheme, provider);
        return { dispose: () => providers.delete(scheme) };
      },
      openTextDocument: async (u: { scheme: string; path: string; toString(): string }) => {
        const provider = providers.get(u.scheme);
        if (!provider) throw new Error(`no content provider for ${u.scheme}`);
        const text = provider.provideTextDocumentContent(u);
        return { uri: u, getText: () => text };
      },
    },
    window: {
      showInformationMessage: message("info"),
      showWarningMessage: message("warning"),
      showErrorMessage: message("error"),
      showTextDocument: async (doc: { uri: { toString(): string }; getText(): string }) => {
        stub.record.documents.push({ uri: doc.uri.toString(), text: doc.getText() });
        return {};
      },
      showInputBox: async (options: {
        title?: string;
        prompt?: string;
        placeHolder?: string;
        password?: boolean;
        validateInput?: (v: string) => string | undefined;
      }) => {
        const q: Question = {
          kind: "input",
          title: options.title,
          prompt: options.prompt,
          placeholder: options.placeHolder,
          step: undefined,
          totalSteps: undefined,
          value: "",
          password: options.password === true,
          validationMessage: undefined,
          hasBack: false,
        };
        stub.record.questions.push(q);
        const reply = stub.answer(q);
        if (reply.type !== "type") return undefined;
        const invalid = options.validateInput?.(reply.value);
        if (invalid) throw new Error(`stub: showInputBox refused ${JSON.stringify(reply.value)}: ${invalid}`);
        return reply.value;
      },
      createInputBox,
      createQuickPick,
      withProgress: async (
        options: { title?: string; cancellable?: boolean },
        task: (p: { report(v: { message?: string }): void }, t: unknown) => Promise<unknown>,
      ) => {
        const entry = { title: options.title, messages: [] as string[] };
        stub.record.progress.push(entry);
        const cancel = new EventEmitter<void>();
        const token = { isCancellationRequested: false, onCancellationRequested: cancel.event };
        const requestCancel = () => {
          if (token.isCancellationRequested) return;
          token.isCancellationRequested = true;
          cancel.fire();
        };
        const running = task(
          {
            report: (v) => {
              if (v.message === undefined) return;
              entry.messages.push(v.message);
              if (options.cancellable && stub.cancelProgressWhen?.test(v.message)) setTimeout(requestCancel, 0);
            },
          },
          token,
        );
        if (options.cancellable && stub.cancelProgress) requestCancel();
        return running;
      },
      createOutputChannel: (_name: string, _options?: { log: true }) => {
        stub.record.outputChannels += 1;
        const line = (level: string) => (text: string) => void stub.record.log.push(`${level} ${text}`);
        return {
          info: line("info"),
          warn: line("warn"),
          error: line("error"),
          debug: line("debug"),
          trace: line("trace"),
          appendLine: line("info"),
          show: () => {
            stub.record.logShown += 1;
          },
          dispose: () => {},
        };
      },
    },
  };
  return stub;
}
