// The project's own Prometheus metrics (beside the SDK's temporal_* ones), documented in the
// README's Metrics section. Names only: pure, so workflow code can import it.
// The Prometheus exporter adds `_total` to counters and unit suffixes as Prometheus does.

/** Employees finished, by outcome (counted by the workflow when a page completes: exact, replay-safe). */
export const EMPLOYEES_PROCESSED = 'personio_import_employees';
/** Imports finished, by result (completed). */
export const IMPORTS_FINISHED = 'personio_import_runs';
/** Wall time of a finished import, seconds. */
export const IMPORT_DURATION = 'personio_import_duration_seconds';
/** HTTP requests to the APIs, by system and status (or "network" for resets and timeouts). */
export const API_REQUESTS = 'personio_import_api_requests';
/** 429 answers, by system. */
export const RATE_LIMITED = 'personio_import_rate_limited';
/** Time a request waited for a slot under the worker's concurrency / requests-per-second caps, ms. */
export const REQUEST_QUEUE_WAIT = 'personio_import_request_queue_wait_ms';
/** Activity attempts after the first, by activity type. */
export const ACTIVITY_RETRIES = 'personio_import_activity_retries';
