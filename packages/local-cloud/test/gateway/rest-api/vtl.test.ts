// biome-ignore-all lint/suspicious/noTemplateCurlyInString: VTL `${…}` references in plain strings
import { describe, expect, it } from 'vitest';
import { compileVtl, type VtlInput, VtlUnsupportedError } from '../../../src/gateway/rest-api/vtl.js';

const input = (
  overrides: Partial<VtlInput['params']> = {},
  context: Record<string, string> = {},
): VtlInput => ({
  params: {
    path: { id: '42' },
    querystring: { q: 'shoes', id: 'from-query' },
    header: { Origin: 'https://b.example' },
    ...overrides,
  },
  context: (path) =>
    ({ requestId: 'req-1', stage: 'dev', 'identity.sourceIp': '10.0.0.1', ...context })[path],
  stageVariable: (name) => (name === 'table' ? 'products-dev' : undefined),
});
const render = (template: string, i: VtlInput = input()) => compileVtl(template).render(i);

describe('VTL subset', () => {
  it('renders text, references in both forms, and $input.params lookups (path, query, header)', () => {
    expect(render('{"id": "$input.params(\'id\')", "q": "${input.params("q")}"}').text).toBe(
      '{"id": "42", "q": "shoes"}',
    );
    // Header lookup through $input.params('x') ignores case; the map's get() is exact, as a Java map.
    expect(
      render('$input.params(\'origin\')|$input.params().header.get("origin")|$input.params().header.Origin')
        .text,
    ).toBe('https://b.example||https://b.example');
    expect(render("[$input.params('missing')]").text).toBe('[]');
  });

  it('reads $context and $stageVariables; unknown ones are empty, unknown own variables render as written', () => {
    expect(render('$context.requestId $context.identity.sourceIp $stageVariables.table').text).toBe(
      'req-1 10.0.0.1 products-dev',
    );
    expect(render('[$context.nope][$stageVariables.nope][$nope][$!nope][\\$literal]').text).toBe(
      '[][][$nope][][$literal]',
    );
  });

  it('runs #set, #if / #elseif / #else with == != && || ! and keeps directive-only lines out', () => {
    const template = [
      '#set($origin = $input.params().header.get("Origin"))',
      '#if($origin == "https://a.example")',
      'A',
      '#elseif($origin == "https://b.example" && !($origin == ""))',
      'B',
      '#else',
      'other',
      '#end',
      'done',
    ].join('\n');
    expect(render(template).text).toBe('B\ndone');
    expect(render(template, input({ header: {} })).text).toBe('other\ndone');
    expect(render('#if($a || "x" != "y")yes#end').text).toBe('yes');
    expect(render('#if(1 < 2 and not false)ok#{else}no#{end}').text).toBe('ok');
  });

  it('follows Velocity 1.7: #set to null keeps the old value, only null and false are false', () => {
    expect(render('#set($x = "kept")#set($x = $input.params().header.get("None"))$x').text).toBe('kept');
    expect(render('#if("")empty string is true#end').text).toBe('empty string is true');
    expect(render('#if($undefined)no#{else}undefined is false#end').text).toBe('undefined is false');
  });

  it('interpolates double-quoted strings, not single-quoted ones', () => {
    expect(render("#set($a = \"id-$input.params('id')\")#set($b = 'id-$x')$a $b").text).toBe('id-42 id-$x');
  });

  it('sets response overrides: status and headers', () => {
    const out = render(
      '#set($context.responseOverride.status = 418)#set($context.responseOverride.header.X-One = "1")' +
        '#set($context.responseOverride.header.x-one = "2")',
    );
    expect(out).toEqual({ text: '', status: 418, headers: [['x-one', '2']] });
  });

  it("renders CDK's several-origin CORS preflight template to nothing, with the override when allowed", () => {
    const template = [
      '#set($origin = $input.params().header.get("Origin"))',
      '#if($origin == "")',
      '  #set($origin = $input.params().header.get("origin"))',
      '#end',
      '#if($origin == "http://localhost:3000" || $origin == "https://b.example")',
      '  #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
      '#end',
    ].join('\n');
    expect(render(template)).toEqual({
      text: '',
      status: undefined,
      headers: [['Access-Control-Allow-Origin', 'https://b.example']],
    });
    expect(render(template, input({ header: { origin: 'http://localhost:3000' } })).headers).toEqual([]);
    expect(render(template, input({ header: { Origin: 'https://evil.example' } })).headers).toEqual([]);
  });

  it('has the cheap $util functions and string methods', () => {
    const raw = input({ querystring: { raw: 'a"b\'c/d\\é\n' } });
    expect(render("$util.escapeJavaScript($input.params('raw'))", raw).text).toBe(
      'a\\"b\\\'c\\/d\\\\\\u00E9\\n',
    );
    expect(render('$util.urlEncode("a b&c")|$util.urlDecode("a+b%26c")|$util.base64Encode("hi")').text).toBe(
      'a+b%26c|a b&c|aGk=',
    );
    expect(
      render(
        "$input.params('q').toUpperCase() $input.params('q').length() #if($input.params('q').startsWith('sh'))sh#end",
      ).text,
    ).toBe('SHOES 5 sh');
  });

  it('keeps unknown #words and lone $ and # as text', () => {
    expect(render('color #fff, $5, # and $').text).toBe('color #fff, $5, # and $');
    expect(render('a ## comment\nb #* block *#c').text).toBe('a \nb c');
  });

  it.each([
    ['#foreach($h in $input.params().header.keySet())$h#end', '#foreach is not supported'],
    ['$input.json("$.name")', 'only $input.params() is supported'],
    ['$input.body', 'only $input.params() is supported'],
    ['$util.parseJson("{}")', 'of $util only'],
    ['#set($context.requestId = "x")', 'only $context.responseOverride.status and .header.Name can be set'],
    ['#if($a == "x")no end', '#if without #end'],
    ['#end', '#end without #if'],
    ['#set($list = [1, 2])', 'list and map literals are not supported'],
    ['$input.params().header.keySet()', 'only .get(name) is supported'],
    ["$input.params('q').replaceAll('a', 'b')", 'only string methods'],
  ])('refuses %s at compile time', (template, message) => {
    expect(() => compileVtl(template)).toThrow(VtlUnsupportedError);
    expect(() => compileVtl(template)).toThrow(message);
  });
});
