import type { BackendInfo, ConfigLocation, EmbeddedSandbox, FieldSpec, IdentifyBy } from "@intercom-kit/domain";
import type { Answer } from "../services/confirm.js";
import type { FormValues } from "../services/form-input.js";
import type { UserAction } from "../services/user-action.js";
import type { TokenAnswer } from "../ui/TokenPrompt.js";

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything a command touches outside itself, so tests run commands in-process with fakes or real servers. */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Whether stdin is a terminal: prompts and the Ink UI are allowed only then. */
  isTTY: boolean;
}

export interface InteractiveProps {
  action: UserAction;
  backend: BackendInfo;
  initialIdentifyBy?: IdentifyBy;
  initialValues?: FormValues;
  noColor?: boolean;
  renderOnce?: boolean;
}

export interface CliDeps {
  fields: readonly FieldSpec[];
  config: ConfigLocation;
  startSandbox: () => Promise<EmbeddedSandbox>;
  /** Mounts the Ink UI and resolves with the exit code once it exits. */
  renderInteractive: (props: InteractiveProps) => Promise<number>;
  /** Mounts the masked token prompt. */
  promptToken: (backendLabel: string) => Promise<TokenAnswer>;
  /** y/N on the terminal; only called when io.isTTY. Ctrl-C (the signal) answers "interrupted". */
  confirm: (question: string, signal: AbortSignal) => Promise<Answer>;
  /** Runs `intercom-kit sandbox` with the sandbox CLI's own flags; resolves with the exit code when it stops. */
  runSandbox: (args: string[]) => Promise<number>;
}
