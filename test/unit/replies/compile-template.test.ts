import { describe, expect, it } from "vitest";
import type { Turn } from "../../../src/types.js";
import { checkTemplate, compileTemplate, hasTemplate, TemplateError } from "../../../src/replies/compile-template.js";

function makeTurn(over: Partial<Turn> = {}): Turn {
  return {
    platform: "dialogflow",
    intent: "greetings",
    action: "greet.action",
    event: "WELCOME",
    tag: "tag-1",
    params: { name: "Ada", "geo-city": "Berlin", count: 3, vip: false, empty: "", list: ["a", "b"], nested: { x: 1 }, nothing: null },
    text: "hello there",
    session: { id: "s-1", values: { plan: "pro", "last-order": 42 } },
    contexts: [],
    lang: "en",
    raw: { queryResult: { outputContexts: [{ name: "ctx-a" }, { name: "ctx-b" }] }, "odd-key": "odd" },
    headers: { authorization: "Bearer secret" },
    ...over,
  };
}

const render = (source: string, turn: Turn = makeTurn()) => compileTemplate(source)(turn);

describe("compileTemplate", () => {
  it("returns plain strings unchanged", () => {
    expect(render("no templates here")).toBe("no templates here");
    expect(render("")).toBe("");
    expect(render("a } b }} c {")).toBe("a } b }} c {");
    expect(hasTemplate("x {{ y }}")).toBe(true);
    expect(hasTemplate("x { y }")).toBe(false);
  });

  it("reads every documented root", () => {
    expect(render("{{ params.name }}|{{ text }}|{{ intent }}|{{ action }}|{{ event }}|{{ tag }}")).toBe(
      "Ada|hello there|greetings|greet.action|WELCOME|tag-1",
    );
    expect(render("{{ session.id }}|{{ session.values.plan }}|{{ lang }}|{{ platform }}")).toBe("s-1|pro|en|dialogflow");
  });

  it("allows optional whitespace inside the braces", () => {
    expect(render("Hi {{params.name}}!")).toBe("Hi Ada!");
    expect(render("Hi {{   params.name   }}!")).toBe("Hi Ada!");
    expect(render("Hi {{\n params.name\n}}!")).toBe("Hi Ada!");
  });

  it("allows hyphens in segments", () => {
    expect(render("{{ params.geo-city }}")).toBe("Berlin");
    expect(render("{{ session.values.last-order }}")).toBe("42");
    expect(render("{{ raw.odd-key }}")).toBe("odd");
  });

  it("reads raw paths with array indexes", () => {
    expect(render("{{ raw.queryResult.outputContexts.1.name }}")).toBe("ctx-b");
    expect(render("{{ raw.queryResult.outputContexts.5.name }}")).toBe("");
  });

  it("renders missing values empty", () => {
    expect(render("[{{ params.missing }}]")).toBe("[]");
    expect(render("[{{ params.nothing }}]")).toBe("[]");
    expect(render("[{{ params.name.first }}]")).toBe("[]");
    expect(render("[{{ tag }}]", makeTurn({ tag: undefined }))).toBe("[]");
    expect(render("[{{ session.id }}]", makeTurn({ session: { values: {} } }))).toBe("[]");
  });

  it("renders numbers and booleans with String(), objects and arrays as JSON", () => {
    expect(render("{{ params.count }} {{ params.vip }}")).toBe("3 false");
    expect(render("{{ params.list }}")).toBe('["a","b"]');
    expect(render("{{ params.nested }}")).toBe('{"x":1}');
    expect(render("{{ params.list.0 }}")).toBe("a");
  });

  it("applies default to missing, null, empty strings and empty lists only", () => {
    expect(render('Hi {{ params.missing | default: "friend" }}')).toBe("Hi friend");
    expect(render("Hi {{ params.missing | default: 'friend' }}")).toBe("Hi friend");
    expect(render('{{ params.nothing | default: "n" }}')).toBe("n");
    expect(render('{{ params.empty | default: "e" }}')).toBe("e");
    expect(render('{{ params.none | default: "l" }}', makeTurn({ params: { none: [] } }))).toBe("l");
    expect(render('{{ params.vip | default: "d" }}')).toBe("false");
    expect(render('{{ params.count | default: "d" }}')).toBe("3");
    expect(render('{{ params.name | default: "friend" }}')).toBe("Ada");
    expect(render('{{params.missing|default:"x"}}')).toBe("x");
    expect(render('{{ params.missing | default: "" }}')).toBe("");
  });

  it("supports quotes, braces and escapes inside default strings", () => {
    expect(render(`{{ params.missing | default: "it's" }}`)).toBe("it's");
    expect(render(`{{ params.missing | default: 'say "hi"' }}`)).toBe('say "hi"');
    expect(render(`{{ params.missing | default: "a \\" b" }}`)).toBe('a " b');
    expect(render(`{{ params.missing | default: "}} {{ x }}" }}`)).toBe("}} {{ x }}");
  });

  it("never renders injected template syntax again", () => {
    const turn = makeTurn({ params: { name: "{{ session.id }}", evil: "{{ constructor.constructor('return process')() }}" }, text: "{{ raw }}" });
    expect(render("Hi {{ params.name }} / {{ text }}", turn)).toBe("Hi {{ session.id }} / {{ raw }}");
    expect(render("{{ params.evil }}", turn)).toBe("{{ constructor.constructor('return process')() }}");
    expect(render('{{ params.missing | default: "{{ session.id }}" }}', turn)).toBe("{{ session.id }}");
  });

  it("reads own properties only", () => {
    expect(render("[{{ params.constructor }}][{{ params.__proto__ }}][{{ params.toString }}]")).toBe("[][][]");
    expect(render("[{{ raw.constructor.name }}]")).toBe("[]");
  });

  it("renders many expressions and literals in order, reusing the compiled template", () => {
    const t = compileTemplate("{{ params.name }}-{{ params.name }}:{{ lang }}.");
    expect(t(makeTurn())).toBe("Ada-Ada:en.");
    expect(t(makeTurn({ params: { name: "Bob" }, lang: "de" }))).toBe("Bob-Bob:de.");
  });

  it("renders wildcard paths as a JSON list", () => {
    expect(render("{{ raw.queryResult.outputContexts.*.name }}")).toBe('["ctx-a","ctx-b"]');
  });
});

describe("template errors", () => {
  const cases: [string, RegExp][] = [
    ["Hi {{ params.name", /unclosed "\{\{" at character 4/],
    ["Hi {{", /unclosed "\{\{"/],
    ["{{ }}", /empty "\{\{ \}\}"/],
    ["{{ params.name | upcase }}", /unknown filter "upcase".*only "default"/],
    ["{{ params.name | }}", /missing filter name/],
    ["{{ params.name | default }}", /"default" needs a value/],
    ["{{ params.name | default: friend }}", /quoted string/],
    ['{{ params.name | default: "friend }}', /unclosed string/],
    ['{{ params.name | default: "a" "b" }}', /unexpected/],
    ["{{ params.name extra }}", /unexpected "e".*expected "\}\}"/],
    ["{{ headers.authorization }}", /unknown variable "headers.authorization"/],
    ["{{ contexts }}", /unknown variable/],
    ["{{ session.values }}x{{ session.secret }}", /unknown variable "session.secret"/],
    ["{{ session }}", /unknown variable "session"/],
    ["{{ text.length }}", /"text" is text and has no fields/],
    ["{{ params..name }}", /empty segment/],
    ["{{ 'x' }}", /expected a path/],
    ["{{ {{ params.name }} }}", /expected a path/],
  ];

  for (const [source, message] of cases) {
    it(`rejects ${JSON.stringify(source)}`, () => {
      expect(() => compileTemplate(source)).toThrow(TemplateError);
      expect(() => compileTemplate(source)).toThrow(message);
      expect(checkTemplate(source)).toMatch(message);
    });
  }

  it("reports the offset and a plain Error subclass", () => {
    try {
      compileTemplate("ok {{ params.a }} then {{ nope }}");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as TemplateError).name).toBe("TemplateError");
      expect((error as TemplateError).offset).toBe(26);
      expect((error as Error).message).toMatch(/at character 27/);
    }
  });

  it("checkTemplate is undefined for valid templates", () => {
    expect(checkTemplate("Hi {{ params.name | default: 'x' }}")).toBeUndefined();
    expect(checkTemplate("plain")).toBeUndefined();
  });
});
