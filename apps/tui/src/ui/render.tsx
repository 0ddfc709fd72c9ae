import { render } from "ink";
import type { InteractiveProps } from "../commands/context.js";
import { App } from "./App.js";
import { type TokenAnswer, TokenPrompt } from "./TokenPrompt.js";

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

/** Mounts the masked token prompt; resolves with the token, or how it was left. */
export async function promptToken(target: string): Promise<TokenAnswer> {
  let answer: TokenAnswer = { cancelled: "escape" };
  const instance = render(
    <TokenPrompt
      target={target}
      onDone={(a) => {
        answer = a;
      }}
    />,
    { exitOnCtrlC: false },
  );
  await instance.waitUntilExit();
  return answer;
}
