export {
  compareFragment,
  type DeclaredAddition,
  type Discrepancy,
  type DiscrepancyKind,
  type FragmentComparison,
  MARKER_PREFIX,
} from "./compare.js";
export { emptyFixupReport, type FixupReport, fixSchemasForAjv } from "./fixups.js";
export {
  findRepoRoot,
  type LocateOptions,
  loadOfficialDescription,
  loadOpenApiFile,
  locateOfficialDir,
  OFFICIAL_VERSIONS,
  type OfficialVersion,
  type OpenApiDocument,
  officialDescriptionPath,
} from "./locate.js";
export {
  createOfficialValidator,
  dropRelativeUriErrors,
  findOperation,
  type OfficialValidator,
  type OfficialValidatorOptions,
  type ValidationOutcome,
} from "./validator.js";
