import { EventEmitter } from "node:events";
import { createIntercomClient, type RequestEvent, SANDBOX_LABEL } from "@intercom-kit/domain";
import type { Sandbox } from "@intercom-kit/sandbox";
import { render } from "ink";
import type { ReactElement } from "react";
import { createUserAction, type UserAction } from "../../src/services/user-action.js";
import { App } from "../../src/ui/App.js";
import { sleep, stripAnsi, waitFor } from "../helpers.js";

/** A terminal of a chosen size for Ink: frames are kept, the last one is what a person sees. */
class Screen extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = () => this.frames.at(-1) ?? "";
}

/** Keys as a terminal sends them; a chunk of several is written in one go. */
class Keyboard extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit("readable");
  };
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export const KEY = {
  enter: "\r",
  tab: "\t",
  esc: "\u001b",
  down: "\u001b[B",
  up: "\u001b[A",
  right: "\u001b[C",
  space: " ",
  ctrlS: "\u0013",
  ctrlC: "\u0003",
  backspace: "\u007f",
  pageDown: "\u001b[6~",
  end: "\u001b[F",
};

export interface Mounted {
  frame: () => string;
  raw: () => string;
  see: (text: string | RegExp, timeoutMs?: number) => Promise<void>;
  write: (keys: string) => Promise<void>;
  exits: number[];
  unmount: () => void;
}

export function mount(
  element: (onExit: (code: number) => void) => ReactElement,
  size = { columns: 100, rows: 40 },
): Mounted {
  const stdout = new Screen(size.columns, size.rows);
  const stdin = new Keyboard();
  const exits: number[] = [];
  const instance = render(
    element((c) => exits.push(c)),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: new Screen(size.columns, size.rows) as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  const frame = () => stripAnsi(stdout.lastFrame());
  return {
    frame,
    raw: () => stdout.lastFrame(),
    see: async (text, timeoutMs = 8000) => {
      await waitFor(
        () => (typeof text === "string" ? frame().includes(text) : text.test(frame())),
        String(text),
        timeoutMs,
        frame,
      );
    },
    write: async (keys) => {
      stdin.write(keys);
      await sleep(40);
    },
    exits,
    unmount: () => instance.unmount(),
  };
}

/** The real domain action over real HTTP to a loopback sandbox: what the binary runs, minus the terminal. */
export function sandboxAction(sandbox: Sandbox, apiVersion = "2.15"): UserAction {
  return createUserAction(
    (overrides) =>
      createIntercomClient({
        ...overrides,
        token: sandbox.token,
        baseUrl: sandbox.url,
        version: apiVersion,
        maxDelayMs: 50,
      }),
    apiVersion,
  );
}

export function mountApp(
  sandbox: Sandbox,
  options: { size?: { columns: number; rows: number }; noColor?: boolean } = {},
) {
  const action = sandboxAction(sandbox);
  const events: RequestEvent[] = [];
  action.onRequestEvent((e) => events.push(e));
  const ui = mount(
    (onExit) => (
      <App
        action={action}
        backend={{ kind: "sandbox", label: SANDBOX_LABEL, baseUrl: sandbox.url, apiVersion: "2.15", tokenSource: null }}
        onExit={onExit}
        {...(options.noColor ? { noColor: true } : {})}
      />
    ),
    options.size,
  );
  return { ...ui, events };
}
