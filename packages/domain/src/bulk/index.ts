/**
 * `@intercom-kit/domain/bulk`: many users from CSV or NDJSON, validated first, paced at the rate limit, journaled
 * and resumable (docs/decisions/0007-domain-public-surface.md). Node-only (files, hashing).
 */
export {
  ATTRIBUTE_COLUMN_PREFIX,
  BULK_COLUMNS,
  type BulkFormat,
  type BulkInputError,
  type BulkInputResult,
  type BulkRow,
  detectBulkFormat,
  formatBulkInputError,
  type ParseBulkInputOptions,
  parseBulkInput,
  rowHash,
} from "./input.js";
export {
  type BulkJournal,
  JOURNAL_VERSION,
  type JournalEntry,
  type JournalState,
  type JournalStatus,
  journalKey,
  memoryJournal,
  type OpenJournalOptions,
  type OpenJournalResult,
  openJournal,
  parseJournal,
} from "./journal.js";
export {
  type BulkOptions,
  type BulkProgress,
  type BulkRowResult,
  type BulkRowStatus,
  type BulkRowsInput,
  type BulkSkipped,
  type BulkSkipReason,
  DEFAULT_BULK_CONCURRENCY,
  formatInvalidRow,
  type InvalidRow,
  MAX_BULK_CONCURRENCY,
  type UpdateUserFn,
  updateUsers,
  type ValidatedRow,
  validateRows,
} from "./run.js";
export { type BulkSummary, bulkSummary, bulkSummaryLines } from "./summary.js";
