/** Builds the import's API clients and notifier from configuration (secrets stay in here). */
import { JumpCloudClient } from '../clients/jumpcloud.js';
import { Notifier } from '../clients/notifier.js';
import { PersonioClient } from '../clients/personio.js';
import { PersonioV2Client } from '../clients/personio-v2.js';
import { budgetUnavailable, taskQueueBudget } from '../clients/temporal-budget.js';
import type { RequestObserver } from '../clients/http.js';
import type { ImportDeps } from '../activities/deps.js';
import { deriveSealKeys } from '../activities/carried-state.js';
import type { ApiSettings, NotifySettings, WorkerTuning } from '../config/env.js';
import { DEFAULT_MAPPING, type AttributeMapping } from '../domain/attribute-mapping.js';

export function createImportDeps(
  api: ApiSettings,
  tuning: WorkerTuning,
  notify: NotifySettings,
  observe?: RequestObserver,
  /** From ATTRIBUTE_MAPPING_FILE (config/env.ts); the README's table when none is set. */
  mapping: AttributeMapping = DEFAULT_MAPPING,
): ImportDeps {
  const personioSettings = {
    ...api.personio,
    maxConcurrency: tuning.personioMaxConcurrency,
    requestsPerSecond: tuning.personioRequestsPerSecond,
    requestsPerMinute: tuning.personioRequestsPerMinute,
    // One budget for the credential across the task queue's workers (workflows/api-budget.ts).
    ...(tuning.personioSharedBudget
      ? {
          sharedBudget: {
            budget: taskQueueBudget('personio', api.personio.clientId),
            onError: budgetUnavailable,
          },
        }
      : {}),
  };
  return {
    mapping,
    personio:
      api.personio.apiVersion === 'v2'
        ? new PersonioV2Client(personioSettings, observe)
        : new PersonioClient(personioSettings, observe),
    jumpcloud: new JumpCloudClient(
      {
        ...api.jumpcloud,
        maxConcurrency: tuning.jumpcloudMaxConcurrency,
        requestsPerSecond: tuning.jumpcloudRequestsPerSecond,
      },
      observe,
    ),
    notifier: new Notifier(notify),
    // Every worker of a task queue has these credentials, and nobody who starts workflows needs
    // them; the worker process seals with its payload keys instead when it has them (rotatable).
    sealKeys: deriveSealKeys([
      { id: 'api', secret: `${api.personio.clientSecret}\u0000${api.jumpcloud.apiKey}` },
    ]),
  };
}
