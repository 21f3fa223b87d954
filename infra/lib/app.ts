import type { App } from 'aws-cdk-lib';
import type { StageConfig } from './config/stage-config';
import { ServerlessReferenceStage } from './stage';

/** Adds one {@link ServerlessReferenceStage} per config to the app (what `bin/app.ts` runs). */
export function addStages(app: App, configs: Iterable<StageConfig>): ServerlessReferenceStage[] {
  return [...configs].map((config) => new ServerlessReferenceStage(app, { config }));
}
