import { describe, expect, it } from "vitest";
import { parseJsonObject } from "../../common/request-params.js";
import { clientCredentials } from "../../workers/oauth/client-credentials.js";

describe("a NUL in a request", () => {
  it("is refused in any string or key of a JSON body, naming where it is", () => {
    expect(parseJsonObject('{"card":{"name":"a\\u0000b"}}')).toEqual({
      problem: {
        code: "parameter_invalid",
        param: "card[name]",
        message: "Invalid card[name]: must not contain a null character (U+0000).",
      },
    });
    expect(parseJsonObject('{"metadata":{"k\\u0000":"v"}}')).toMatchObject({ problem: { param: "metadata[k]" } });
    expect(parseJsonObject('{"items":["ok","\\u0000"]}')).toMatchObject({ problem: { param: "items[1]" } });
    expect(parseJsonObject('{"name":"café 💳","n":1}')).toEqual({ body: { name: "café 💳", n: 1 } });
  });

  it("is walked without recursion, however deep the body nests", () => {
    const deep = `{"a":${"[".repeat(50_000)}"\\u0000"${"]".repeat(50_000)}}`;
    expect(parseJsonObject(deep)).toMatchObject({ problem: { code: "parameter_invalid" } });
  });

  it("makes client credentials invalid, from Basic or the form", () => {
    expect(clientCredentials(`Basic ${btoa("opc_%00x:secret")}`, {})).toBe("missing");
    expect(clientCredentials(undefined, { client_id: "opc_x", client_secret: "s\u0000" })).toBe("missing");
    expect(clientCredentials(`Basic ${btoa("opc_x:secret")}`, {})).toEqual({
      clientId: "opc_x",
      clientSecret: "secret",
    });
  });
});
