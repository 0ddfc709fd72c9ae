import { render } from "ink";
import type { InteractiveProps } from "../commands/context.js";
import { App } from "./App.js";
import { TokenPrompt } from "./TokenPrompt.js";

/** Mounts the update UI on the process terminal; resolves with the exit code the App chose. */
export async function renderInteractive(props: InteractiveProps): Promise<number> {
  let code = 0;
  const instance = render(
    <App
      {...props}
      onExit={(c) => {
        code = c;
      }}
    />,
    { exitOnCtrlC: false },
  );
  await instance.waitUntilExit();
  return code;
}

/** Mounts the masked token prompt; resolves with the token, or null when cancelled. */
export async function promptToken(target: string): Promise<string | null> {
  let token: string | null = null;
  const instance = render(
    <TokenPrompt
      target={target}
      onDone={(t) => {
        token = t;
      }}
    />,
    { exitOnCtrlC: false },
  );
  await instance.waitUntilExit();
  return token;
}
