import { request } from "node:http";

/**
 * A POST whose answer may take minutes (a reconciliation of a million lines runs in the request):
 * `fetch` in Node gives up waiting for headers after 300 s, `node:http` waits as long as it takes.
 */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      { method: "POST", headers: { ...headers, "Content-Type": "application/json" } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> });
          } catch {
            reject(new Error(`${url} answered ${response.statusCode} with no JSON: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    call.on("error", reject);
    call.end(JSON.stringify(body));
  });
}
