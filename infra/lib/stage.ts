import { Stage, type StageProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from './config/stage-config';
import { HttpApiStack } from './stacks/http-api-stack';
import { RestApiStack } from './stacks/rest-api-stack';
import { SharedStack } from './stacks/shared-stack';
import { WebSocketChatStack } from './stacks/websocket-chat-stack';

export interface ServerlessReferenceStageProps extends Omit<StageProps, 'env' | 'stageName'> {
  readonly config: StageConfig;
}

/**
 * One deployment stage (`dev`, `prod`): the shared identity stack and one stack per service. Stack names
 * are `<stage>-<stack>` (e.g. `dev-http-api`), the cloud assembly goes to `cdk.out/assembly-<stage>`, and
 * `cdk synth|deploy '<stage>/*'` selects the whole stage.
 */
export class ServerlessReferenceStage extends Stage {
  readonly config: StageConfig;
  readonly shared: SharedStack;
  readonly restApi: RestApiStack;
  readonly httpApi: HttpApiStack;
  readonly webSocketChat: WebSocketChatStack;

  constructor(scope: Construct, props: ServerlessReferenceStageProps) {
    const { config, ...stageProps } = props;
    super(scope, config.stageName, {
      ...stageProps,
      ...(config.env === undefined ? {} : { env: config.env }),
    });
    this.config = config;

    this.shared = new SharedStack(this, 'shared', {
      config,
      description: `Serverless reference (${config.stageName}): Cognito user pool, clients, resource servers`,
    });
    const service = { config, auth: this.shared.auth };
    this.restApi = new RestApiStack(this, 'rest-api', {
      ...service,
      description: `Serverless reference (${config.stageName}): catalog REST API`,
    });
    this.httpApi = new HttpApiStack(this, 'http-api', {
      ...service,
      description: `Serverless reference (${config.stageName}): notes HTTP API`,
    });
    this.webSocketChat = new WebSocketChatStack(this, 'websocket-chat', {
      ...service,
      description: `Serverless reference (${config.stageName}): chat WebSocket API`,
    });

    Tags.of(this).add('project', 'serverless-reference');
    Tags.of(this).add('stage', config.stageName);
  }
}
