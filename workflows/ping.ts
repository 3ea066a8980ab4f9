/**
 * The smallest real workflow: one activity on the worker, its answer returned.
 * `personio-jumpcloud-sync ping` uses it to prove that client → server → worker works.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { describeWorker } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

export interface PingResult {
  message: string;
  answeredBy: string;
}

export async function ping(message: string): Promise<PingResult> {
  const worker = await describeWorker();
  return { message, answeredBy: worker };
}
