import type {
  BackendInfo,
  FieldError,
  FieldGroup,
  FieldKey,
  IdentifyBy,
  PreparedUpdate,
  UpdateUserError,
  UpdateUserInput,
  UpdateUserResult,
} from "@intercom-kit/domain";
import { Box, useApp, useStdin } from "ink";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { EXIT, exitCodeFor } from "../services/exit-codes.js";
import type { FormValues } from "../services/form-input.js";
import type { UserAction } from "../services/user-action.js";
import { ApplyingStep } from "./ApplyingStep.js";
import { bannerLines } from "./banner.js";
import { CheckingStep } from "./CheckingStep.js";
import { ErrorView } from "./ErrorView.js";
import { FormStep } from "./FormStep.js";
import { GroupsStep } from "./GroupsStep.js";
import { IdentifyStep } from "./IdentifyStep.js";
import { KeyRouter } from "./keys.js";
import { ResultView } from "./ResultView.js";
import { ReviewStep } from "./ReviewStep.js";
import { ScreenContext } from "./screen.js";
import { Text } from "./text.js";

export interface AppProps {
  action: UserAction;
  backend: BackendInfo;
  /** Receives the process exit code just before the app exits. */
  onExit: (code: number) => void;
  initialIdentifyBy?: IdentifyBy;
  initialValues?: FormValues;
  /** NO_COLOR is set: the UI draws no colours (the entry point also turns chalk off). */
  noColor?: boolean;
  /** Render the first screen, then exit (for startup benchmarks). */
  renderOnce?: boolean;
}

type Screen =
  | { name: "identify" }
  | { name: "groups" }
  | { name: "form"; focus?: FieldKey | "submit"; marks?: FieldError[] }
  | { name: "checking"; input: UpdateUserInput; createAttributes: boolean }
  | { name: "review"; plan: PreparedUpdate; input: UpdateUserInput; createAttributes: boolean }
  | { name: "applying"; plan: PreparedUpdate }
  | { name: "result"; result: Extract<UpdateUserResult, { ok: true }> }
  | { name: "error"; error: UpdateUserError; input?: UpdateUserInput; createAttributes?: boolean };

const DEFAULT_GROUPS: ReadonlySet<FieldGroup> = new Set(["profile"]);

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
  const settings = useMemo(
    () => ({ banner: bannerLines(props.backend), noColor: props.noColor ?? false }),
    [props.backend, props.noColor],
  );
  if (!interactive) {
    return (
      <Box flexDirection="column">
        <Text>{settings.banner[0]?.map((s) => s.text).join("")}</Text>
        {renderOnce ? null : (
          <Text color="red">
            This screen needs an interactive terminal. Use flags instead: intercom-kit update --help
          </Text>
        )}
      </Box>
    );
  }
  return (
    <ScreenContext.Provider value={settings}>
      <Flow {...props} />
    </ScreenContext.Provider>
  );
}

function Flow({ action, onExit, initialIdentifyBy, initialValues }: AppProps) {
  const { exit } = useApp();
  const identifyFields = action.fields.filter((f) => f.group === "identify");
  const [screen, setScreen] = useState<Screen>(initialIdentifyBy ? { name: "form" } : { name: "identify" });
  const [identifyBy, setIdentifyBy] = useState<IdentifyBy>(
    initialIdentifyBy ?? (identifyFields[0]?.key as IdentifyBy | undefined) ?? "userId",
  );
  const [groups, setGroups] = useState<ReadonlySet<FieldGroup>>(DEFAULT_GROUPS);
  const [values, setValues] = useState<FormValues>(initialValues ?? {});
  // Where the form's focus was, so the form comes back to it after the review or an error.
  const formFocus = useRef<FieldKey | "submit" | undefined>(undefined);
  const lastCode = useRef<number>(EXIT.ok);

  const quit = useCallback(
    (code: number) => {
      onExit(code);
      // Unmounting the screens aborts the calls they have in flight.
      exit();
    },
    [onExit, exit],
  );
  const showError = useCallback((error: UpdateUserError, input?: UpdateUserInput, createAttributes?: boolean) => {
    lastCode.current = exitCodeFor(error.kind);
    setScreen({
      name: "error",
      error,
      ...(input ? { input } : {}),
      ...(createAttributes !== undefined ? { createAttributes } : {}),
    });
  }, []);
  const backToForm = useCallback((error?: UpdateUserError) => {
    const marks = error ? marksOf(error) : [];
    const focus = (marks.find((e) => e.field !== "input")?.field as FieldKey | undefined) ?? formFocus.current;
    setScreen({ name: "form", ...(focus ? { focus } : {}), marks });
  }, []);
  const onReady = useCallback((plan: PreparedUpdate) => {
    setScreen((s) =>
      s.name === "checking" ? { name: "review", plan, input: s.input, createAttributes: s.createAttributes } : s,
    );
  }, []);
  const onChecked = useCallback((error: UpdateUserError) => {
    setScreen((s) => {
      if (s.name !== "checking") return s;
      lastCode.current = exitCodeFor(error.kind);
      return { name: "error", error, input: s.input, createAttributes: s.createAttributes };
    });
  }, []);
  const onApplied = useCallback(
    (result: UpdateUserResult) => {
      if (result.ok) {
        lastCode.current = EXIT.ok;
        setScreen({ name: "result", result });
      } else showError(result.error);
    },
    [showError],
  );
  const goBackToForm = useCallback(
    () => setScreen({ name: "form", ...(formFocus.current ? { focus: formFocus.current } : {}) }),
    [],
  );

  let body: ReactNode;
  switch (screen.name) {
    case "identify":
      body = (
        <IdentifyStep
          fields={identifyFields}
          selected={identifyBy}
          onSelect={(by) => {
            setIdentifyBy(by);
            setScreen({ name: "groups" });
          }}
          onBack={() => quit(lastCode.current)}
        />
      );
      break;
    case "groups":
      body = (
        <GroupsStep
          selected={groups}
          onDone={(chosen) => {
            setGroups(chosen);
            setScreen({ name: "form" });
          }}
          onBack={() => setScreen({ name: "identify" })}
        />
      );
      break;
    case "form":
      body = (
        <FormStep
          key={`form-${identifyBy}`}
          fields={action.fields}
          identifyBy={identifyBy}
          apiVersion={action.apiVersion}
          groups={groups}
          values={values}
          onChange={setValues}
          validate={action.validate}
          onSubmit={(input) => setScreen({ name: "checking", input, createAttributes: false })}
          onBack={() => setScreen({ name: "groups" })}
          {...(screen.marks ? { marks: screen.marks } : {})}
          {...(screen.focus ? { initialFocus: screen.focus } : {})}
          onFocus={(focus) => {
            formFocus.current = focus;
          }}
        />
      );
      break;
    case "checking":
      body = (
        <CheckingStep
          action={action}
          input={screen.input}
          createAttributes={screen.createAttributes}
          onReady={onReady}
          onError={onChecked}
          onBack={goBackToForm}
        />
      );
      break;
    case "review": {
      const { plan } = screen;
      body = <ReviewStep plan={plan} onConfirm={() => setScreen({ name: "applying", plan })} onBack={goBackToForm} />;
      break;
    }
    case "applying":
      body = <ApplyingStep action={action} plan={screen.plan} onDone={onApplied} />;
      break;
    case "result":
      body = (
        <ResultView
          result={screen.result}
          onQuit={() => quit(EXIT.ok)}
          onAgain={() => {
            setValues({});
            formFocus.current = undefined;
            setScreen({ name: "identify" });
          }}
        />
      );
      break;
    case "error": {
      const { error, input, createAttributes } = screen;
      const fixable =
        input !== undefined && !createAttributes && (error.problems ?? []).some((p) => p.creatable === true);
      body = (
        <ErrorView
          error={error}
          onBack={() => backToForm(error)}
          onQuit={() => quit(lastCode.current)}
          {...(fixable
            ? { onCreateAttributes: () => setScreen({ name: "checking", input, createAttributes: true }) }
            : {})}
        />
      );
      break;
    }
  }
  // Ctrl-C always works, on every screen, including while calls are in flight (they are aborted).
  return <KeyRouter onInterrupt={() => quit(EXIT.interrupted)}>{body}</KeyRouter>;
}

/** The fields an error names (pre-flight problems and validation), so going back to the form marks them. */
function marksOf(error: UpdateUserError): FieldError[] {
  return error.fieldErrors ?? [];
}
