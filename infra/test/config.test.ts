import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  STAGE_NAMES,
  type StageConfig,
  StageConfigError,
  validateStageConfig,
} from '../lib/config/stage-config';
import { stageConfigs } from '../lib/config/stages';

const { dev, prod } = stageConfigs;

function withAuth(auth: Partial<StageConfig['auth']>): StageConfig {
  return { ...dev, auth: { ...dev.auth, ...auth } };
}

describe('stage configs', () => {
  it('there is one config per stage name, each named after its key', () => {
    expect(Object.keys(stageConfigs)).toEqual([...STAGE_NAMES]);
    for (const [name, config] of Object.entries(stageConfigs)) expect(config.stageName).toBe(name);
  });

  it('prod keeps data and logs, dev does not', () => {
    expect(dev.removalPolicy).toBe(RemovalPolicy.DESTROY);
    expect(prod.removalPolicy).toBe(RemovalPolicy.RETAIN);
    expect(prod.auth.deletionProtection).toBe(true);
    expect(dev.auth.deletionProtection).toBe(false);
    expect(prod.logging.retention).toBeGreaterThan(dev.logging.retention);
  });

  it('prod logs less, throttles higher and has alarms', () => {
    expect([dev.logging.level, prod.logging.level]).toEqual(['DEBUG', 'INFO']);
    expect(prod.throttle.rateLimit).toBeGreaterThan(dev.throttle.rateLimit);
    expect(dev.alarms.enabled).toBe(false);
    expect(prod.alarms.enabled).toBe(true);
  });

  it('stages never share a metrics namespace', () => {
    expect(dev.metricsNamespace).not.toBe(prod.metricsNamespace);
  });
});

describe('validateStageConfig', () => {
  it('accepts https and http://localhost redirects', () => {
    expect(
      validateStageConfig(withAuth({ callbackUrls: ['https://a.example/cb', 'http://localhost:8080/cb'] })),
    ).toBeTruthy();
  });

  it('rejects redirects Cognito would refuse at deploy time', () => {
    expect(() => validateStageConfig(withAuth({ callbackUrls: ['http://app.example/cb'] }))).toThrow(
      StageConfigError,
    );
    expect(() => validateStageConfig(withAuth({ logoutUrls: ['not a url'] }))).toThrow(/auth\.logoutUrls/);
    expect(() => validateStageConfig(withAuth({ callbackUrls: [] }))).toThrow(/must not be empty/);
  });

  it('rejects bad throttles, origins and alarm thresholds, listing every problem', () => {
    const bad: StageConfig = {
      ...dev,
      throttle: { rateLimit: 0, burstLimit: 1.5 },
      corsAllowedOrigins: ['https://app.example/path'],
      alarms: {
        enabled: true,
        functionErrors: 0,
        serverErrors: 1,
        period: Duration.minutes(1),
        evaluationPeriods: 1,
      },
    };
    let message = '';
    try {
      validateStageConfig(bad);
    } catch (error) {
      expect(error).toBeInstanceOf(StageConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/stage "dev"/);
    expect(message).toMatch(/rateLimit/);
    expect(message).toMatch(/burstLimit/);
    expect(message).toMatch(/corsAllowedOrigins/);
    expect(message).toMatch(/alarms/);
  });
});
