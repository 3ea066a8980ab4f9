/**
 * Where the workflow code lives, and one bundle shared by every worker in a process
 * (bundling takes seconds; tests start many workers).
 */
import { fileURLToPath } from 'node:url';
import { failureConverterPath } from '../codec/data-converter.js';
import { Runtime, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

export function sharedWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath,
    // Failure messages are encoded (and so encrypted) in workflow code too.
    failureConverterPath,
    // The installed Runtime's logger, so bundling is as quiet or loud as the rest of the process.
    logger: Runtime.instance().logger,
    // Our sources use NodeNext-style `.js` specifiers for `.ts` files; teach webpack the mapping.
    webpackConfigHook: (config) => {
      config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
      return config;
    },
  });
  return bundle;
}
