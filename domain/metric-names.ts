// The project's own Prometheus metrics (beside the SDK's temporal_* ones): the one list of
// their names. The README's Metrics table documents exactly these, and
// test/integration/worker-dotenv.test.ts checks both against a real worker's /metrics.
// Names only: pure, so workflow code can import it. The Temporal Runtime's exporter
// publishes a name as given (it adds no `_total`), so counters carry theirs here.

/** Employees finished, by outcome (counted by the workflow when a page completes: exact, replay-safe). */
export const EMPLOYEES_PROCESSED = 'personio_import_employees_total';
/** Imports finished, by dryRun. */
export const IMPORTS_FINISHED = 'personio_import_runs_total';
/** Wall time of a finished import, seconds (histogram). */
export const IMPORT_DURATION = 'personio_import_duration_seconds';
/** HTTP requests to the APIs, by system and status (or "network" for resets and timeouts). */
export const API_REQUESTS = 'personio_import_api_requests_total';
/** 429 answers, by system. */
export const RATE_LIMITED = 'personio_import_rate_limited_total';
/** Time a request waited for a slot under the worker's concurrency / requests-per-second caps, ms (histogram). */
export const REQUEST_QUEUE_WAIT = 'personio_import_request_queue_wait_ms';
/** Activity attempts after the first, by activity type. */
export const ACTIVITY_RETRIES = 'personio_import_activity_retries_total';
