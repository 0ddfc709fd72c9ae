import type { FieldSpec } from "@intercom-kit/domain";
import { Argument, type Command, type Option } from "commander";
import { EXIT } from "../services/exit-codes.js";
import type { CliDeps, CliIo } from "./context.js";

/** The shells `intercom-kit completion` writes scripts for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** What a completion script needs to know about one option, read from the commander program. */
export interface OptionSpec {
  long: string | null;
  short: string | null;
  description: string;
  /** Takes a value (`--name <text>`): the next word is that value, not an option or a command. */
  takesValue: boolean;
  /** Values to offer for it (commander choices, or the choices of the domain field behind the flag). */
  choices: string[];
  /** Its value is a path (`<file>`): offer file names. */
  file: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** Values to offer for its first positional argument (`completion <shell>`, `help [command]`). */
  positional: string[];
}

export interface CompletionSpec {
  program: string;
  /** Options of the program itself (`--version`, `--help`). */
  rootOptions: OptionSpec[];
  /** The command run when none is named (`intercom-kit --name X` is `intercom-kit update --name X`). */
  defaultCommand: string | null;
  commands: CommandSpec[];
}

/** One line for a completion menu: the help text without its example, cut at a word near 80 characters. */
function menuText(text: string): string {
  const line = text
    .replace(/\s+/g, " ")
    .replace(/ \(e\.g\. .*\)$/, "")
    .replace(/\.$/, "")
    .trim();
  if (line.length <= 80) return line;
  const cut = line.lastIndexOf(" ", 77);
  return `${line.slice(0, cut > 40 ? cut : 77)}...`;
}

function optionSpec(option: Option, fields: readonly FieldSpec[]): OptionSpec {
  const flag = option.long?.replace(/^--/, "");
  const field = fields.find((f) => f.flag === flag);
  const fromField = field?.kind === "choice" ? (field.choices ?? []).map((c) => c.value).filter((v) => v !== "") : [];
  return {
    long: option.long ?? null,
    short: option.short ?? null,
    description: menuText(option.description),
    takesValue: Boolean(option.required || option.optional),
    choices: [...(option.argChoices ?? fromField)],
    file: /<file>|\[file\]/.test(option.flags),
  };
}

/** Walks the program as `--help` sees it (hidden options such as --render-once stay out). */
export function completionSpec(program: Command, fields: readonly FieldSpec[]): CompletionSpec {
  const help = program.createHelp();
  const visible = help.visibleCommands(program);
  const names = visible.map((c) => c.name());
  const commands = visible.map((command): CommandSpec => {
    const first = command.registeredArguments[0];
    let positional: string[] = [...(first?.argChoices ?? [])];
    // commander's own `help [command]` takes a command name.
    if (command.name() === "help" && first) positional = names.filter((n) => n !== "help");
    return {
      name: command.name(),
      description: menuText(command.summary() || command.description()),
      options: command
        .createHelp()
        .visibleOptions(command)
        .map((o) => optionSpec(o, fields)),
      positional,
    };
  });
  const defaultName = (program as unknown as { _defaultCommandName?: string | null })._defaultCommandName ?? null;
  return {
    program: program.name(),
    rootOptions: help.visibleOptions(program).map((o) => optionSpec(o, fields)),
    defaultCommand: defaultName && names.includes(defaultName) ? defaultName : null,
    commands,
  };
}

const identifier = (name: string) => name.replace(/[^A-Za-z0-9]/g, "_");
const flagsOf = (o: OptionSpec) => [o.short, o.long].filter((f): f is string => f !== null);

/** Options offered where no command has been named yet: the program's own plus the default command's. */
function topLevelOptions(spec: CompletionSpec): OptionSpec[] {
  const fallback = spec.commands.find((c) => c.name === spec.defaultCommand);
  const seen = new Set<string>();
  const out: OptionSpec[] = [];
  for (const o of [...spec.rootOptions, ...(fallback?.options ?? [])]) {
    const key = flagsOf(o).join(" ");
    if (!seen.has(key)) out.push(o);
    seen.add(key);
  }
  return out;
}

// --- bash ------------------------------------------------------------------------------------------------------
// Values are checked against [A-Za-z0-9._:/@+-] before they are written unquoted into the script.
const SAFE_WORD = /^[A-Za-z0-9._:/@+-]+$/;
function bashWords(words: readonly string[]): string {
  for (const w of words) if (!SAFE_WORD.test(w)) throw new Error(`cannot put ${JSON.stringify(w)} in a completion`);
  return words.join(" ");
}

/** Case arms, per context ("" = no command yet), for values of options that take one. */
function bashValueArms(context: string, options: readonly OptionSpec[]): string[] {
  const arms: string[] = [];
  for (const o of options.filter((x) => x.takesValue)) {
    const pattern = flagsOf(o)
      .map((f) => `"${context}:${f}"`)
      .join("|");
    if (o.choices.length > 0) arms.push(`    ${pattern}) words="${bashWords(o.choices)}" ;;`);
    else if (o.file) arms.push(`    ${pattern}) kind=file ;;`);
    else arms.push(`    ${pattern}) kind=free ;;`);
  }
  return arms;
}

export function bashScript(spec: CompletionSpec): string {
  const fn = `_${identifier(spec.program)}`;
  const top = topLevelOptions(spec);
  const commandNames = spec.commands.map((c) => c.name);
  const valueTaking = new Set<string>();
  for (const o of [...top, ...spec.commands.flatMap((c) => c.options)])
    if (o.takesValue) for (const f of flagsOf(o)) valueTaking.add(f);
  const optionArms = [
    `    "") opts="${bashWords(top.flatMap(flagsOf))}" ;;`,
    ...spec.commands.map((c) => `    ${c.name}) opts="${bashWords(c.options.flatMap(flagsOf))}" ;;`),
  ];
  const valueArms = [...bashValueArms("", top), ...spec.commands.flatMap((c) => bashValueArms(c.name, c.options))];
  const positionalArms = spec.commands
    .filter((c) => c.positional.length > 0)
    .map((c) => `      ${c.name}) words="${bashWords(c.positional)}" ;;`);
  return `# bash completion for ${spec.program}, generated by \`${spec.program} completion bash\`.
# Load it from ~/.bashrc:   source <(${spec.program} completion bash)
${fn}() {
  local cur prev cmd word opts words kind i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev=""
  ((COMP_CWORD > 0)) && prev="\${COMP_WORDS[COMP_CWORD - 1]}"
  # "--flag=value": bash splits the word at "=" (COMP_WORDBREAKS), so complete the value of the flag before it.
  if [[ "$cur" == "=" ]]; then
    cur=""
  elif [[ "$prev" == "=" ]] && ((COMP_CWORD > 1)); then
    prev="\${COMP_WORDS[COMP_CWORD - 2]}"
  fi
  # The command is the first word that is neither an option nor an option's value.
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in
      ${bashWords([...valueTaking]).replaceAll(" ", "|")}) ((i++)) ;;
      -* | =) ;;
      *)
        case " ${bashWords(commandNames)} " in
          *" $word "*) cmd="$word"; break ;;
        esac
        ;;
    esac
  done
  words=""
  kind=""
  case "$cmd:$prev" in
${valueArms.join("\n")}
  esac
  if [[ -n "$words" ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    return 0
  elif [[ "$kind" == file ]]; then
    compopt -o filenames 2>/dev/null
    local IFS=$'\\n'
    COMPREPLY=($(compgen -f -- "$cur"))
    return 0
  elif [[ "$kind" == free ]]; then
    COMPREPLY=()
    return 0
  fi
  case "$cmd" in
${optionArms.join("\n")}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -z "$cmd" ]]; then
    COMPREPLY=($(compgen -W "${bashWords(commandNames)}" -- "$cur"))
  else
    case "$cmd" in
${positionalArms.join("\n")}
    esac
    # A command without positional values offers its options on an empty word too.
    [[ -z "$words" ]] && words="$opts"
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
  return 0
}
complete -F ${fn} ${spec.program}
`;
}

// --- zsh -------------------------------------------------------------------------------------------------------
/** Single-quoted for zsh, with _arguments' own specials in descriptions escaped. */
const zshDescription = (text: string) =>
  text
    .replace(/\\/g, "\\\\")
    .replace(/([[\]])/g, "\\$1")
    .replace(/'/g, "'\\''");
const zshQuote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

function zshOptionSpecs(options: readonly OptionSpec[]): string[] {
  return options.map((o) => {
    const flags = flagsOf(o);
    const exclusive = flags.length > 1 ? `(${flags.join(" ")})` : "";
    const names = flags.length > 1 ? `{${flags.join(",")}}` : (flags[0] ?? "");
    const describe = `[${zshDescription(o.description)}]`;
    let action = "";
    if (o.takesValue) {
      if (o.choices.length > 0) action = `:value:(${bashWords(o.choices)})`;
      else if (o.file) action = ":file:_files";
      else action = ":value: ";
    }
    // A long option that takes a value accepts "--flag value" and "--flag=value" (the "=" suffix in the spec).
    const eq = o.takesValue && flags.length === 1 && o.long ? "=" : "";
    const quotedName = flags.length > 1 ? `'${exclusive}'${names}` : `${names}${eq}`;
    return `    ${quotedName}'${describe}${action.replace(/'/g, "'\\''")}'`;
  });
}

export function zshScript(spec: CompletionSpec): string {
  const fn = `_${identifier(spec.program)}`;
  const functions = spec.commands.map((c) => {
    const positional =
      c.positional.length > 0 ? [`    ':${c.name === "help" ? "command" : "value"}:(${bashWords(c.positional)})'`] : [];
    const lines = [...zshOptionSpecs(c.options), ...positional];
    return `${fn}_${identifier(c.name)}() {\n  _arguments -s -S \\\n${lines.join(" \\\n")}\n}`;
  });
  const described = spec.commands.map((c) => `    ${zshQuote(`${c.name}:${c.description.replace(/:/g, "\\:")}`)}`);
  const top = zshOptionSpecs(topLevelOptions(spec));
  return `#compdef ${spec.program}
# zsh completion for ${spec.program}, generated by \`${spec.program} completion zsh\`.
# Load it from ~/.zshrc (after compinit):   source <(${spec.program} completion zsh)
# or save it as _${spec.program} in a directory on your $fpath.
${functions.join("\n\n")}

${fn}_top() {
  _arguments -s -S \\
${top.join(" \\\n")}
}

${fn}() {
  local -a commands
  commands=(
${described.join("\n")}
  )
  local word
  local -i i
  # The command is the first word that is not an option; values of options come after their flag.
  for (( i = 2; i < CURRENT; i++ )); do
    word=\${words[i]}
    if (( \${commands[(I)\${word}:*]} )); then
      words=("\${words[1]}" "\${(@)words[i+1,-1]}")
      (( CURRENT -= i - 1 ))
      ${fn}_\${word//[^A-Za-z0-9]/_}
      return
    fi
    [[ $word == -* ]] || break
  done
  if (( CURRENT == 2 )) && [[ \${words[CURRENT]} != -* ]]; then
    _describe -t commands '${spec.program} command' commands
    return
  fi
  ${fn}_top
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${spec.program}
fi
`;
}

// --- fish ------------------------------------------------------------------------------------------------------
const fishQuote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

function fishOptionLines(program: string, condition: string, options: readonly OptionSpec[]): string[] {
  return options.map((o) => {
    const parts = [`complete -c ${program} -n ${fishQuote(condition)}`];
    if (o.short) parts.push(`-s ${o.short.replace(/^-/, "")}`);
    if (o.long) parts.push(`-l ${o.long.replace(/^--/, "")}`);
    if (o.takesValue) {
      if (o.choices.length > 0) parts.push(`-x -a ${fishQuote(bashWords(o.choices))}`);
      else if (o.file) parts.push("-r -F");
      else parts.push("-x");
    }
    parts.push(`-d ${fishQuote(o.description)}`);
    return parts.join(" ");
  });
}

export function fishScript(spec: CompletionSpec): string {
  const p = spec.program;
  const names = spec.commands.map((c) => c.name);
  const lines = [
    `# fish completion for ${p}, generated by \`${p} completion fish\`.`,
    `# Save it:   ${p} completion fish > ~/.config/fish/completions/${p}.fish`,
    `complete -c ${p} -f`,
    ...spec.commands.map(
      (c) => `complete -c ${p} -n '__fish_use_subcommand' -a ${c.name} -d ${fishQuote(c.description)}`,
    ),
  ];
  const others = names.filter((n) => n !== spec.defaultCommand);
  // Before any other command is named, the default command's options apply (`intercom-kit --name X`).
  const topCondition = others.length > 0 ? `not __fish_seen_subcommand_from ${others.join(" ")}` : "true";
  lines.push(...fishOptionLines(p, topCondition, topLevelOptions(spec)));
  for (const c of spec.commands) {
    if (c.name === spec.defaultCommand) continue;
    const condition = `__fish_seen_subcommand_from ${c.name}`;
    lines.push(...fishOptionLines(p, condition, c.options));
    if (c.positional.length > 0)
      lines.push(`complete -c ${p} -n ${fishQuote(condition)} -a ${fishQuote(bashWords(c.positional))}`);
  }
  return `${lines.join("\n")}\n`;
}

export function completionScript(shell: Shell, spec: CompletionSpec): string {
  if (shell === "bash") return bashScript(spec);
  if (shell === "zsh") return zshScript(spec);
  return fishScript(spec);
}

/** `intercom-kit completion bash|zsh|fish`: the script goes to stdout; an unknown shell is exit 2. */
export function registerCompletionCommand(
  program: Command,
  io: CliIo,
  deps: Pick<CliDeps, "fields">,
  setCode: (code: number) => void,
): Command {
  return program
    .command("completion")
    .description("Print a shell completion script (bash, zsh or fish) for every command and flag.")
    .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(SHELLS))
    .addHelpText(
      "after",
      `
Load it:
  bash  source <(${program.name()} completion bash)            in ~/.bashrc
  zsh   source <(${program.name()} completion zsh)             in ~/.zshrc, after compinit
  fish  ${program.name()} completion fish > ~/.config/fish/completions/${program.name()}.fish`,
    )
    .action((shell: Shell) => {
      // The spec is read when the command runs, so every command registered after this one is in it.
      io.stdout.write(completionScript(shell, completionSpec(program, deps.fields)));
      setCode(EXIT.ok);
    });
}
