import type { BackendInfo } from "@intercom-kit/domain";
import type { Line } from "./screen.js";

/** Always on screen: which back end receives the writes (the domain's label: the sandbox says its changes vanish). */
export function bannerLines(backend: BackendInfo): Line[] {
  const sandbox = backend.kind === "sandbox";
  return [
    [
      { text: "intercom-kit", bold: true, color: "cyan" },
      { text: ` · API ${backend.apiVersion} · `, dim: true },
      { text: backend.label, bold: true, color: sandbox ? "green" : "yellow" },
    ],
  ];
}
