/** Links into Temporal Web for what the CLI prints. */
import { temporalWebUrl } from '../config/process-settings.js';

export { temporalWebUrl };

export function workflowLink(namespace: string, workflowId: string): string {
  return `${temporalWebUrl()}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
