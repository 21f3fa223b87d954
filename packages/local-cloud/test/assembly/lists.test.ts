// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${…}` syntax in plain strings
import { describe, expect, it } from 'vitest';
import { resolveFake } from './helpers';

describe('list and string functions', () => {
  const options = { refs: { Subnets: ['s-1', 's-2'], Fn: 'notes-fn' } };
  it.each([
    ['Fn::Join', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda']] }, 'arn:aws:lambda'],
    ['Fn::Join of a list from Ref', { 'Fn::Join': [',', { Ref: 'Subnets' }] }, 's-1,s-2'],
    ['Fn::Join drops AWS::NoValue', { 'Fn::Join': ['-', ['a', { Ref: 'AWS::NoValue' }, 'b']] }, 'a-b'],
    ['Fn::Join stringifies numbers and booleans', { 'Fn::Join': [':', [1, true]] }, '1:true'],
    ['Fn::Select', { 'Fn::Select': [1, ['a', 'b', 'c']] }, 'b'],
    ['Fn::Select with a string index', { 'Fn::Select': ['0', { Ref: 'Subnets' }] }, 's-1'],
    ['Fn::Split', { 'Fn::Split': ['/', 'a/b/c'] }, ['a', 'b', 'c']],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [2, { 'Fn::Split': [':', 'arn:aws:lambda:eu'] }] }, 'lambda'],
    ['Fn::GetAZs of this region', { 'Fn::GetAZs': '' }, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
    [
      'Fn::GetAZs of a given region',
      { 'Fn::GetAZs': 'us-east-2' },
      ['us-east-2a', 'us-east-2b', 'us-east-2c'],
    ],
    [
      'Fn::GetAZs of Ref AWS::Region',
      { 'Fn::GetAZs': { Ref: 'AWS::Region' } },
      ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    ],
    ['Fn::Length', { 'Fn::Length': { Ref: 'Subnets' } }, 2],
    [
      'Fn::Base64',
      { 'Fn::Base64': { 'Fn::Sub': 'fn=${Fn}' } },
      Buffer.from('fn=notes-fn').toString('base64'),
    ],
    ['Fn::ToJsonString', { 'Fn::ToJsonString': { a: [1, { Ref: 'Fn' }] } }, '{"a":[1,"notes-fn"]}'],
  ])('%s', (_name, input, expected) => {
    const { value, unresolved } = resolveFake(input, options);
    expect(unresolved).toEqual([]);
    expect(value).toEqual(expected);
  });

  it.each([
    ['Fn::Join without a list', { 'Fn::Join': ['', 'abc'] }, 'Fn::Join needs a list'],
    ['Fn::Join of objects', { 'Fn::Join': ['', [{ a: 1 }]] }, 'Fn::Join list items must be strings'],
    [
      'Fn::Select out of range',
      { 'Fn::Select': [5, ['a']] },
      'Fn::Select index 5 is out of range (list of 1)',
    ],
    ['Fn::Split of a list', { 'Fn::Split': [',', ['a']] }, 'Fn::Split needs a string'],
    ['Fn::Cidr', { 'Fn::Cidr': ['10.0.0.0/16', 6, 5] }, 'Fn::Cidr is not supported'],
    ['an unknown function', { 'Fn::Nope': 1 }, 'Fn::Nope is not supported'],
  ])('%s is unresolved', (_name, input, message) => {
    const { value, unresolved } = resolveFake(input, options);
    expect(value).toMatch(/^<<unresolved /);
    expect(unresolved).toEqual([message]);
  });

  it('objects that merely contain a Ref key among others are not intrinsics', () => {
    expect(resolveFake({ Ref: 'x', Other: 1 }).value).toEqual({ Ref: 'x', Other: 1 });
  });
});

describe('Fn::FindInMap', () => {
  const mappings = { Regions: { 'eu-west-1': { Ami: 'ami-1', Size: 3 } } };
  it.each([
    ['a string', { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Ami'] }, 'ami-1'],
    ['a number', { 'Fn::FindInMap': ['Regions', 'eu-west-1', 'Size'] }, 3],
    [
      'DefaultValue',
      { 'Fn::FindInMap': ['Regions', 'us-east-1', 'Ami', { DefaultValue: 'ami-0' }] },
      'ami-0',
    ],
  ])('%s', (_name, input, expected) => {
    const { value, unresolved } = resolveFake(input, { mappings });
    expect(unresolved).toEqual([]);
    expect(value).toEqual(expected);
  });

  it('a missing key is unresolved', () => {
    expect(resolveFake({ 'Fn::FindInMap': ['Regions', 'x', 'Ami'] }, { mappings }).unresolved).toEqual([
      'Fn::FindInMap: no Regions.x.Ami',
    ]);
  });
});
