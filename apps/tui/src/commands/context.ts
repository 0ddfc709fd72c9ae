import type { FieldSpec, IdentifyBy } from "@intercom-kit/domain";
import type { EmbeddedSandbox } from "../services/backend.js";
import type { BackendInfo } from "../services/backend-info.js";
import type { FormValues } from "../services/form-input.js";
import type { ConfigLocation } from "../services/token-store.js";
import type { UserAction } from "../services/user-action.js";

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
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
  renderOnce?: boolean;
}

export interface CliDeps {
  fields: readonly FieldSpec[];
  config: ConfigLocation;
  startSandbox: () => Promise<EmbeddedSandbox>;
  /** Mounts the Ink UI and resolves with the exit code once it exits. */
  renderInteractive: (props: InteractiveProps) => Promise<number>;
  /** Mounts the masked token prompt; resolves with the token, or null when cancelled. */
  promptToken: (backendLabel: string) => Promise<string | null>;
  /** y/N on the terminal; only called when io.isTTY. */
  confirm: (question: string) => Promise<boolean>;
  /** Runs `intercom-kit sandbox`; resolves with the exit code when the server stops. */
  runSandbox: (args: string[]) => Promise<number>;
}
