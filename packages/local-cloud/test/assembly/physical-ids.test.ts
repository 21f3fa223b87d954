import { describe, expect, it } from 'vitest';
import {
  apiGatewayId,
  deterministicString,
  deterministicUuid,
  generatedName,
  LOWER_ALNUM,
  resourceSeed,
  userPoolClientId,
  userPoolClientSecret,
  userPoolId,
} from '../../src/assembly/physical-ids';
import { resolvers } from './helpers';

const FN = { accountId: '000000000000', region: 'us-east-1', stackName: 'dev-notes', logicalId: 'Fn' };
const seed = resourceSeed(FN);

describe('deterministic ids', () => {
  it('the same seed gives the same value; another seed or purpose another one', () => {
    expect(deterministicString(seed, 'x', LOWER_ALNUM, 20)).toBe(
      deterministicString(seed, 'x', LOWER_ALNUM, 20),
    );
    expect(deterministicString(seed, 'x', LOWER_ALNUM, 20)).not.toBe(
      deterministicString(seed, 'y', LOWER_ALNUM, 20),
    );
    const other = resourceSeed({ ...FN, logicalId: 'Fn2' });
    expect(deterministicString(other, 'x', LOWER_ALNUM, 20)).not.toBe(
      deterministicString(seed, 'x', LOWER_ALNUM, 20),
    );
    const seeded = resourceSeed({ ...FN, seed: 'mine' });
    expect(seeded).not.toBe(seed);
  });

  it.each([
    ['user pool id', () => userPoolId(seed, 'eu-west-1'), /^eu-west-1_[A-Za-z0-9]{9}$/],
    ['client id', () => userPoolClientId(seed), /^[a-z0-9]{26}$/],
    ['client secret', () => userPoolClientSecret(seed), /^[a-z0-9]{51}$/],
    ['API id', () => apiGatewayId(seed), /^[a-z0-9]{10}$/],
    ['route id', () => apiGatewayId(seed, 7), /^[a-z0-9]{7}$/],
    [
      'uuid',
      () => deterministicUuid(seed),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    ],
    [
      'function name',
      () => generatedName(seed, 'dev-notes', 'Fn9270CBC0', { maxLength: 64 }),
      /^dev-notes-Fn9270CBC0-[A-Z0-9]{12}$/,
    ],
    [
      'bucket name (lowercase)',
      () =>
        generatedName(seed, 'Dev-Notes', 'Files1234', {
          maxLength: 63,
          lowercase: true,
          alphabet: LOWER_ALNUM,
        }),
      /^dev-notes-files1234-[a-z0-9]{12}$/,
    ],
  ])('%s has the AWS shape and is stable', (_name, make, pattern) => {
    expect(make()).toMatch(pattern);
    expect(make()).toBe(make());
  });

  it('long names are shortened like CloudFormation does, keeping the whole suffix', () => {
    const long = generatedName(
      seed,
      'a-very-long-stack-name-for-the-notes-service',
      'AnEvenLongerLogicalIdForTheListNotesFunction1234ABCD',
      {
        maxLength: 64,
      },
    );
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^a-very-long-stack-name-\S+-[A-Z0-9]{12}$/);
    const shortLogical = generatedName(seed, 'x'.repeat(80), 'Fn', { maxLength: 64 });
    expect(shortLogical).toMatch(/^x{48}-Fn-[A-Z0-9]{12}$/);
  });

  it('physical ids survive a reload (same stack and logical id → same names)', () => {
    const template = {
      Resources: {
        Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
        Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
        Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: {} },
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: {} },
      },
    };
    const first = resolvers([{ stackName: 'dev-notes', template }]).assembly.stacks[0];
    const second = resolvers([{ stackName: 'dev-notes', template: structuredClone(template) }]).assembly
      .stacks[0];
    for (const id of ['Table', 'Pool', 'Client', 'Api']) expect(first?.refOf(id)).toBe(second?.refOf(id));
    const otherStack = resolvers([{ stackName: 'prod-notes', template }]).assembly.stacks[0];
    expect(otherStack?.refOf('Table')).not.toBe(first?.refOf('Table'));
    const otherSeed = resolvers([{ stackName: 'dev-notes', template }], { idSeed: 'alice' }).assembly
      .stacks[0];
    expect(otherSeed?.refOf('Table')).not.toBe(first?.refOf('Table'));
  });
});
