// Every workflow the worker bundles. Workflow code runs in Temporal's deterministic sandbox:
// import only workflow APIs, domain/ code and activity *types* here.
export { ping } from './ping.js';
export { importEmployees } from './import-employees.js';
export { importPage } from './import-page.js';
export { directoryPage } from './directory-page.js';
export { activateOnHireDate } from './activate-on-hire-date.js';
export { scheduledImport } from './scheduled-import.js';
export { personioChanges } from './personio-changes.js';
export { apiBudget } from './api-budget.js';
