import { App } from 'aws-cdk-lib';
import { addStages } from '../lib/app';
import { MissingBundleError } from '../lib/bundles';
import { stageConfigs } from '../lib/config/stages';

// Run by the CDK CLI (`cdk.json` → `npx tsx bin/app.ts`); the CLI synthesizes when the program exits.
const app = new App();
try {
  addStages(app, Object.values(stageConfigs));
} catch (error) {
  if (!(error instanceof MissingBundleError)) throw error;
  console.error(error.message); // no stack trace: the message says what to do
  process.exit(1);
}
