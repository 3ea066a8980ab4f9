/** Links into Temporal Web for what the CLI prints. */
export function temporalWebUrl(): string {
  return (process.env.TEMPORAL_WEB_URL ?? 'http://127.0.0.1:8233').replace(/\/+$/, '');
}

export function workflowLink(namespace: string, workflowId: string): string {
  return `${temporalWebUrl()}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
