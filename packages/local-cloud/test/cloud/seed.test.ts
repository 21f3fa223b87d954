import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalCloudError } from '../../src/cloud/errors';
import { findUserPool, parseSeedFile, resolveSeedUsers } from '../../src/cloud/seed';
import { POOL_ID, poolModel } from './fixtures';

const shared = poolModel();
const chat = poolModel({
  stack: 'dev-chat',
  logicalId: 'ChatPool99',
  path: 'dev/chat/Pool/Resource',
  id: 'eu-west-1_Chat00000',
  name: 'chat-users',
});

describe('parseSeedFile', () => {
  it('accepts users with optional pool, email, groups and attributes, and other top-level fields', () => {
    const users = parseSeedFile(
      JSON.stringify({
        description: 'demo',
        users: [
          {
            userPool: 'shared/Pool',
            username: 'alice',
            password: 'pw',
            groups: ['admins'],
            attributes: { name: 'A' },
          },
          { username: 'bob', password: 'pw', email: 'bob@example.com' },
        ],
      }),
      'seed.json',
    );
    expect(users.map((user) => user.username)).toEqual(['alice', 'bob']);
  });

  it.each([
    ['not JSON', '{', /seed file seed.json is not valid JSON/],
    ['no users array', '{"people":[]}', /must be an object with a "users" array/],
    [
      'a user without password',
      '{"users":[{"username":"a"}]}',
      /users\[0\] needs a non-empty "password" string/,
    ],
    [
      'groups not strings',
      '{"users":[{"username":"a","password":"p","groups":[1]}]}',
      /"groups" must be an array/,
    ],
    [
      'a misspelt field',
      '{"users":[{"username":"a","password":"p","group":["x"]}]}',
      /unknown fields: group/,
    ],
  ])('refuses %s with a clear message', (_, text, message) => {
    expect(() => parseSeedFile(text, 'seed.json')).toThrow(message);
    expect(() => parseSeedFile(text, 'seed.json')).toThrow(LocalCloudError);
  });

  it("validates this repository's seed file", async () => {
    const file = path.resolve(import.meta.dirname, '../../../../infra/local-cloud.seed.json');
    const users = parseSeedFile(await readFile(file, 'utf8'), file);
    expect(users.map((user) => [user.userPool, user.username])).toEqual([
      ['shared/UserPool', 'alice@example.com'],
      ['shared/UserPool', 'bob@example.com'],
    ]);
  });
});

describe('findUserPool', () => {
  it.each([
    ['its id', POOL_ID],
    ['its name', shared.name],
    ['stack/logicalId', 'dev-shared/Pool1234ABCD'],
    ['its logical id', 'Pool1234ABCD'],
    ['its construct path', 'dev/shared/Pool'],
    ['a trailing part of its path (any stage)', 'shared/Pool'],
  ])('finds a pool by %s', (_, selector) => {
    expect(findUserPool(selector, [shared, chat], 'ctx').id).toBe(POOL_ID);
  });

  it('takes the only pool when no selector is given, and insists on one otherwise', () => {
    expect(findUserPool(undefined, [shared], 'ctx')).toBe(shared);
    expect(() => findUserPool(undefined, [shared, chat], 'user "a"')).toThrow(
      /user "a" names no "userPool", so it needs exactly one; the user pools are: dev-shared\/Pool1234ABCD/,
    );
  });

  it('names the available pools when nothing matches, and the matches when several do', () => {
    expect(() => findUserPool('billing/Pool', [shared, chat], 'ctx')).toThrow(
      'ctx: no user pool matches "billing/Pool"; the user pools are: dev-shared/Pool1234ABCD (eu-west-1_AbCdEf123, path dev/shared/Pool); dev-chat/ChatPool99 (eu-west-1_Chat00000, path dev/chat/Pool)',
    );
    expect(() => findUserPool('Pool', [shared, chat], 'ctx')).toThrow(/"Pool" matches several user pools/);
    expect(() => findUserPool('x', [], 'ctx')).toThrow(/the assembly has no user pool/);
  });
});

describe('resolveSeedUsers', () => {
  it('gives each user its pool id, and the email of email-as-username pools', () => {
    const emailPool = poolModel({ usernameAttributes: ['email'] });
    expect(
      resolveSeedUsers(
        [{ username: 'alice@example.com', password: 'Passw0rd!', groups: ['admins'] }],
        [emailPool],
        'seed.json',
      ),
    ).toEqual([
      {
        poolId: POOL_ID,
        username: 'alice@example.com',
        password: 'Passw0rd!',
        email: 'alice@example.com',
        groups: ['admins'],
      },
    ]);
    expect(
      resolveSeedUsers([{ username: 'bob', password: 'p', userPool: 'chat/Pool' }], [shared, chat], 's'),
    ).toEqual([{ poolId: 'eu-west-1_Chat00000', username: 'bob', password: 'p', groups: [] }]);
  });

  it('names the seed file and the user in errors', () => {
    expect(() =>
      resolveSeedUsers([{ username: 'bob', password: 'p', userPool: 'nope' }], [shared], 'x.json'),
    ).toThrow(/^seed file x.json: user "bob": no user pool matches "nope"/);
  });
});
