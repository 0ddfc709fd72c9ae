import { escapeControl } from "@intercom-kit/domain";
import { Text as InkText, type TextProps } from "ink";
import { Children, type ReactNode } from "react";

/**
 * Ink's Text, with every string child shown through the domain's `escapeControl`. Ink passes colour codes (SGR) and
 * OSC sequences (window titles, hyperlinks) in text straight to the terminal, so a name that holds them would turn text
 * red or retitle the window. The domain's text helpers already escape what they build; this is the net under
 * everything else (and escaping twice changes nothing). Components import this Text, never Ink's (a test checks).
 */
export function Text({ children, ...props }: TextProps & { children?: ReactNode }) {
  return <InkText {...props}>{safeChildren(children)}</InkText>;
}

function safeChildren(children: ReactNode): ReactNode {
  return Children.map(children, (child) => (typeof child === "string" ? escapeControl(child) : child));
}
