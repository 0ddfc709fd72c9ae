import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import yaml from "js-yaml";

/** The official description versions we keep a local copy of. */
export type OfficialVersion = "2.15" | "2.16";

export const OFFICIAL_VERSIONS: readonly OfficialVersion[] = ["2.15", "2.16"];

/** A parsed OpenAPI document; kept loose on purpose (we read foreign, large documents). */
export type OpenApiDocument = Record<string, unknown>;

export interface LocateOptions {
  /** Directory holding intercom-api-<version>.yaml; overrides INTERCOM_OPENAPI_DIR and the search. */
  dir?: string;
  /** Where the upward search for the repo root starts; defaults to process.cwd(). */
  cwd?: string;
  /** Environment to read INTERCOM_OPENAPI_DIR from; defaults to process.env. */
  env?: Record<string, string | undefined>;
}

/** Walks up from `start` to the first directory holding pnpm-workspace.yaml (the monorepo root). */
export function findRepoRoot(start: string = process.cwd()): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Finds the directory with the official descriptions: `dir`, else INTERCOM_OPENAPI_DIR, else
 * `<repo root>/../shared/reference/intercom-openapi`. Throws when it is missing: a contract check that cannot
 * find what it compares against must fail, never skip.
 */
export function locateOfficialDir(options: LocateOptions = {}): string {
  const env = options.env ?? process.env;
  const tried: string[] = [];
  const explicit = options.dir ?? env.INTERCOM_OPENAPI_DIR;
  if (explicit) {
    const dir = resolve(explicit);
    if (existsSync(dir)) return dir;
    tried.push(dir);
  } else {
    const root = findRepoRoot(options.cwd ?? process.cwd());
    if (root) {
      const dir = resolve(root, "..", "shared", "reference", "intercom-openapi");
      if (existsSync(dir)) return dir;
      tried.push(dir);
    } else {
      tried.push(`(no pnpm-workspace.yaml above ${options.cwd ?? process.cwd()})`);
    }
  }
  throw new Error(
    `Intercom's official OpenAPI descriptions were not found (looked in: ${tried.join(", ")}). ` +
      "Set INTERCOM_OPENAPI_DIR to the directory holding intercom-api-2.15.yaml and intercom-api-2.16.yaml.",
  );
}

/** Path of the local copy of the official description for `version`; throws if the file is missing. */
export function officialDescriptionPath(version: OfficialVersion, options: LocateOptions = {}): string {
  if (!OFFICIAL_VERSIONS.includes(version)) {
    throw new Error(`version must be one of ${OFFICIAL_VERSIONS.join(", ")}, got ${JSON.stringify(version)}`);
  }
  const file = join(locateOfficialDir(options), `intercom-api-${version}.yaml`);
  if (!existsSync(file)) throw new Error(`Intercom's official OpenAPI description ${version} is missing: ${file}`);
  return file;
}

/** Parses a YAML (or JSON) OpenAPI file. */
export function loadOpenApiFile(file: string): OpenApiDocument {
  const doc = yaml.load(readFileSync(file, "utf8"));
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new Error(`${file} does not hold an OpenAPI document (expected a YAML mapping)`);
  }
  return doc as OpenApiDocument;
}

/** Reads and parses the official description (a fresh object each call; callers keep it if they need it twice). */
export function loadOfficialDescription(version: OfficialVersion, options: LocateOptions = {}): OpenApiDocument {
  return loadOpenApiFile(officialDescriptionPath(version, options));
}
