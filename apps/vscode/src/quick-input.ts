/**
 * The quick-input widgets of Update User: one input box or quick pick per step (with the step counter, Back and
 * inline validation), the "what to change" multi-select, the candidates of a shared email, and the review. They only
 * show and collect; every rule and sentence comes from steps.ts, format.ts and the domain.
 */
import { type Candidate, FIELDS, type FieldKey, type UpdateUserError } from "@intercom-kit/domain";
import * as vscode from "vscode";
import {
  candidateItems,
  candidatesTitle,
  changeItems,
  changesPlaceholder,
  changesTitle,
  lookupFailureText,
  pickItems,
  pickPlaceholder,
  placeholderFor,
  promptFor,
  reviewView,
  stepTitle,
} from "./format.js";
import {
  type Answer,
  type CandidateAnswer,
  type ChangeChoice,
  type ChoiceAnswer,
  choiceIds,
  chosenKeys,
  type Found,
  normalizeChoice,
  type ReviewAnswer,
  type ReviewInput,
  type StepPosition,
  type WizardStep,
  type WizardUi,
} from "./steps.js";

/**
 * Shows `input` and resolves with the first answer its listeners give; then the listeners and the input are
 * disposed (hiding a disposed input fires onDidHide again, which must not answer twice).
 */
export function untilAnswered<A>(
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

function place(input: vscode.QuickInput, title: string, position: StepPosition): void {
  input.title = title;
  input.step = position.step;
  input.totalSteps = position.totalSteps;
  input.ignoreFocusOut = true;
}

/** The widgets runWizard asks through. */
export function wizardUi(): WizardUi {
  return { ask, chooseChanges, pickCandidate, review };
}

/** One input box or quick pick for a step, with the step counter, Back button and inline validation. */
function ask(
  step: WizardStep,
  position: StepPosition,
  value: string,
  check: (text: string) => string | undefined,
  failure?: UpdateUserError,
): Promise<Answer> {
  const buttons = position.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  if (step.kind === "text") {
    const box = vscode.window.createInputBox();
    place(box, stepTitle(step), position);
    box.prompt = promptFor(step.field, step.required, step.current);
    box.placeholder = placeholderFor(step.field, step.current);
    box.value = value;
    box.buttons = buttons;
    // A failed lookup is shown until the text changes; Enter looks the user up again.
    box.validationMessage = failure
      ? { message: lookupFailureText(failure, FIELDS), severity: vscode.InputBoxValidationSeverity.Error }
      : value === ""
        ? undefined
        : check(value);
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
  place(pick, stepTitle(step), position);
  pick.placeholder = pickPlaceholder(step);
  const shown = pickItems(step.items);
  pick.items = step.items.map((item, i) => ({ ...shown[i], label: item.label, value: item.value }));
  const active = pick.items.find((item) => item.value === value);
  if (active) pick.activeItems = [active];
  pick.buttons = buttons;
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

/** What to change: a multi-select of the groups and their fields, kept in step with each other. */
function chooseChanges(
  choices: ChangeChoice[],
  position: StepPosition,
  chosen: readonly FieldKey[],
  found: Found | undefined,
  empty: boolean,
): Promise<ChoiceAnswer> {
  type Item = vscode.QuickPickItem & { id: string };
  const pick = vscode.window.createQuickPick<Item>();
  place(pick, changesTitle(found), position);
  pick.canSelectMany = true;
  pick.matchOnDetail = true;
  const notes = found?.notes ?? [];
  pick.placeholder = notes.length > 0 ? `${notes.join(" ")} ${changesPlaceholder(empty)}` : changesPlaceholder(empty);
  pick.items = changeItems(choices);
  let ticked = choiceIds(choices, chosen);
  pick.selectedItems = pick.items.filter((i) => ticked.has(i.id));
  pick.buttons = [vscode.QuickInputButtons.Back];
  return untilAnswered<ChoiceAnswer>(pick, (finish) => [
    pick.onDidChangeSelection((items) => {
      const after = new Set(items.map((i) => i.id));
      const next = normalizeChoice(choices, ticked, after);
      ticked = next;
      if (next.size !== after.size || [...next].some((id) => !after.has(id))) {
        pick.selectedItems = pick.items.filter((i) => next.has(i.id));
      }
    }),
    pick.onDidAccept(() => finish({ action: "next", keys: chosenKeys(choices, ticked) })),
    pick.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) finish({ action: "back" });
    }),
    pick.onDidHide(() => finish({ action: "cancel" })),
  ]);
}

/** Several users have the email: pick the one to update (the rest of the steps use its Intercom ID). */
function pickCandidate(
  candidates: Candidate[],
  position: StepPosition,
  _error: UpdateUserError,
  active?: string,
): Promise<CandidateAnswer> {
  type Item = vscode.QuickPickItem & { id: string };
  const pick = vscode.window.createQuickPick<Item>();
  place(pick, candidatesTitle(candidates), position);
  pick.placeholder = "Pick the user to update (Back to type another identifier)";
  pick.items = candidateItems(candidates);
  const current = pick.items.find((i) => i.id === active);
  if (current) pick.activeItems = [current];
  pick.buttons = [vscode.QuickInputButtons.Back];
  return untilAnswered<CandidateAnswer>(pick, (finish) => [
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen) finish({ action: "next", id: chosen.id });
    }),
    pick.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) finish({ action: "back" });
    }),
    pick.onDidHide(() => finish({ action: "cancel" })),
  ]);
}

type ReviewItem = vscode.QuickPickItem & { answer?: "confirm" | "back" | "create" };

/** The review: the safety gate before any write (see reviewView). */
function review(input: ReviewInput, position: StepPosition, found: Found | undefined): Promise<ReviewAnswer> {
  const view = reviewView(input, found, FIELDS);
  const pick = vscode.window.createQuickPick<ReviewItem>();
  place(pick, view.title, position);
  pick.placeholder = view.placeholder;
  pick.buttons = [vscode.QuickInputButtons.Back];
  pick.matchOnDescription = true;
  pick.items = view.rows.map((row): ReviewItem => {
    if (row.kind === "separator") return { label: row.label, kind: vscode.QuickPickItemKind.Separator };
    if (row.kind === "action") return { label: row.label, description: row.description, answer: row.answer };
    return { label: row.label, ...(row.description ? { description: row.description } : {}) };
  });
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
