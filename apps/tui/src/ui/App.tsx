import type {
  AppliedStep,
  FieldError,
  FieldSpec,
  IdentifyBy,
  UpdateUserError,
  UpdateUserInput,
  UpdateUserOutput,
} from "@intercom-kit/domain";
import { Box, Text, useApp, useInput, useStdin } from "ink";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import type { BackendInfo } from "../services/backend-info.js";
import { EXIT, exitCodeFor } from "../services/exit-codes.js";
import type { FormValues } from "../services/form-input.js";
import type { UserAction } from "../services/user-action.js";
import { Banner } from "./Banner.js";
import { ErrorView } from "./ErrorView.js";
import { FormStep } from "./FormStep.js";
import { IdentifyStep } from "./IdentifyStep.js";
import { ResultView } from "./ResultView.js";
import { ReviewStep } from "./ReviewStep.js";
import { RunningStep } from "./RunningStep.js";

export interface AppProps {
  action: UserAction;
  backend: BackendInfo;
  /** Receives the process exit code just before the app exits. */
  onExit: (code: number) => void;
  initialIdentifyBy?: IdentifyBy;
  initialValues?: FormValues;
  /** Render the first screen, then exit (for startup benchmarks). */
  renderOnce?: boolean;
}

type Screen =
  | { name: "identify" }
  | { name: "form"; focus?: keyof UpdateUserInput; serverErrors?: FieldError[] }
  | { name: "review"; input: UpdateUserInput }
  | { name: "running"; input: UpdateUserInput }
  | { name: "result"; user: UpdateUserOutput; applied: AppliedStep[]; notes: string[] }
  | { name: "error"; error: UpdateUserError };

/** The Ink root: the only component that exits. Without raw-mode input it explains and exits instead of crashing. */
export function App(props: AppProps) {
  const { isRawModeSupported } = useStdin();
  const { exit } = useApp();
  const { onExit, renderOnce } = props;
  const interactive = isRawModeSupported && !renderOnce;
  useEffect(() => {
    if (renderOnce) {
      onExit(EXIT.ok);
      exit();
    } else if (!isRawModeSupported) {
      onExit(EXIT.invalidInput);
      exit();
    }
  }, [renderOnce, isRawModeSupported, onExit, exit]);
  if (!interactive) {
    return (
      <Box flexDirection="column">
        <Banner backend={props.backend} />
        {renderOnce ? null : (
          <Text color="red">
            This screen needs an interactive terminal. Use flags instead: intercom-kit update --help
          </Text>
        )}
      </Box>
    );
  }
  return <Flow {...props} />;
}

function Flow({ action, backend, onExit, initialIdentifyBy, initialValues }: AppProps) {
  const { exit } = useApp();
  const identifyFields = action.fields.filter((f) => f.group === "identify");
  const [screen, setScreen] = useState<Screen>(initialIdentifyBy ? { name: "form" } : { name: "identify" });
  const [identifyBy, setIdentifyBy] = useState<IdentifyBy>(
    initialIdentifyBy ?? (identifyFields[0]?.key as IdentifyBy | undefined) ?? "userId",
  );
  const [values, setValues] = useState<FormValues>(initialValues ?? {});
  const [steps, setSteps] = useState<string[]>([]);
  const lastCode = useRef<number>(EXIT.ok);
  const running = useRef<AbortController | null>(null);

  const quit = useCallback(
    (code: number) => {
      running.current?.abort();
      onExit(code);
      exit();
    },
    [onExit, exit],
  );

  // Ctrl-C always works, on every screen, including while calls are in flight (they are aborted).
  useInput((input, key) => {
    // Also inside a chunk of fast typing, where Ink hands over the raw byte.
    if ((key.ctrl && input === "c") || input.includes("\u0003")) quit(EXIT.interrupted);
  });

  const showError = useCallback((error: UpdateUserError) => {
    lastCode.current = exitCodeFor(error.kind);
    setScreen({ name: "error", error });
  }, []);

  useEffect(() => {
    if (screen.name !== "running") return;
    const controller = new AbortController();
    running.current = controller;
    setSteps([]);
    action
      .update(screen.input, {
        signal: controller.signal,
        onStep: (_step, label) => setSteps((s) => [...s, label]),
      })
      .then(
        (result) => {
          if (controller.signal.aborted) return;
          if (result.ok) {
            lastCode.current = EXIT.ok;
            setScreen({ name: "result", user: result.user, applied: result.applied, notes: result.notes ?? [] });
          } else showError(result.error);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          showError({
            kind: "intercom_error",
            message: `The update failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
            hint: "Check the user in Intercom before retrying; report this with the request id",
            requestId: null,
          });
        },
      );
    return () => {
      controller.abort();
      running.current = null;
    };
  }, [screen, action, showError]);

  const backToForm = useCallback(
    (error?: UpdateUserError) => {
      const serverErrors = error ? fieldErrorsOf(error, action.fields) : [];
      const focus = serverErrors.find((e) => e.field !== "input")?.field as keyof UpdateUserInput | undefined;
      setScreen({ name: "form", ...(focus ? { focus } : {}), serverErrors });
    },
    [action.fields],
  );
  const goBackFromReview = useCallback(() => setScreen({ name: "form" }), []);
  const confirm = useCallback(() => {
    setScreen((s) => (s.name === "review" ? { name: "running", input: s.input } : s));
  }, []);

  let body: ReactNode;
  switch (screen.name) {
    case "identify":
      body = (
        <IdentifyStep
          fields={identifyFields}
          selected={identifyBy}
          onSelect={(by) => {
            setIdentifyBy(by);
            setScreen({ name: "form" });
          }}
          onBack={() => quit(lastCode.current)}
        />
      );
      break;
    case "form":
      body = (
        <FormStep
          key={`form-${identifyBy}`}
          fields={action.fields}
          identifyBy={identifyBy}
          values={values}
          onChange={setValues}
          validate={action.validate}
          onSubmit={(input) => setScreen({ name: "review", input })}
          onBack={() => setScreen({ name: "identify" })}
          {...(screen.serverErrors ? { serverErrors: screen.serverErrors } : {})}
          {...(screen.focus ? { initialFocus: screen.focus } : {})}
        />
      );
      break;
    case "review":
      body = (
        <ReviewStep
          input={screen.input}
          lookup={action.lookup}
          plan={action.plan}
          describe={action.describe}
          onConfirm={confirm}
          onBack={goBackFromReview}
          onError={showError}
        />
      );
      break;
    case "running":
      body = <RunningStep current={steps.at(-1) ?? null} done={steps.slice(0, -1)} />;
      break;
    case "result":
      body = (
        <ResultView
          user={screen.user}
          applied={screen.applied}
          notes={screen.notes}
          onQuit={() => quit(EXIT.ok)}
          onAgain={() => {
            setValues({});
            setScreen({ name: "identify" });
          }}
        />
      );
      break;
    case "error":
      body = (
        <ErrorView error={screen.error} onBack={() => backToForm(screen.error)} onQuit={() => quit(lastCode.current)} />
      );
      break;
  }
  return (
    <Box flexDirection="column">
      <Banner backend={backend} />
      <Box marginTop={1} flexDirection="column">
        {body}
      </Box>
    </Box>
  );
}

/**
 * The fields an error is about, so going back marks them: the domain's field errors, or for a conflict (the new
 * email belongs to someone else) the New email field.
 */
function fieldErrorsOf(error: UpdateUserError, fields: readonly FieldSpec[]): FieldError[] {
  if (error.fieldErrors && error.fieldErrors.length > 0) return error.fieldErrors;
  const mark = (key: keyof UpdateUserInput, message: string): FieldError[] => {
    const field = fields.find((f) => f.key === key);
    return field ? [{ field: key, label: field.label, message }] : [];
  };
  if (error.kind === "conflict") {
    const other = error.existingContactId ? ` (${error.existingContactId})` : "";
    return mark("email", `already belongs to another user${other}`);
  }
  return [];
}
