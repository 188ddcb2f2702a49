/**
 * The page's "try it" console, as the one inline script `/docs` serves. The key stays in this
 * page's memory only (never storage, never the URL); requests go to this origin with it.
 */
export const CONSOLE_SCRIPT = `
"use strict";
const keyInput = document.getElementById("api-key");
const versionInput = document.getElementById("api-version");
for (const form of document.querySelectorAll("form.try")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = form.querySelector("output");
    let path = form.dataset.path;
    for (const input of form.querySelectorAll("input[data-in=path]")) {
      path = path.replace("{" + input.name + "}", encodeURIComponent(input.value));
    }
    const query = new URLSearchParams();
    for (const input of form.querySelectorAll("input[data-in=query]")) {
      if (input.value !== "") query.set(input.name, input.value);
    }
    const headers = {};
    if (keyInput.value) headers.Authorization = "Bearer " + keyInput.value.trim();
    if (versionInput.value) headers["Api-Version"] = versionInput.value;
    const idem = form.querySelector("input[name=idempotency-key]");
    if (idem && idem.value) headers["Idempotency-Key"] = idem.value;
    const textarea = form.querySelector("textarea");
    const init = { method: form.dataset.method.toUpperCase(), headers };
    if (textarea) {
      headers["Content-Type"] = form.dataset.form ? "application/x-www-form-urlencoded" : "application/json";
      init.body = textarea.value;
    }
    out.textContent = "…";
    try {
      const response = await fetch(path + (query.size ? "?" + query : ""), init);
      const text = await response.text();
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
      const rid = response.headers.get("Request-Id");
      out.textContent = response.status + " " + response.statusText + (rid ? "  (" + rid + ")" : "") + "\\n\\n" + shown;
      out.dataset.status = String(response.status);
    } catch (error) {
      out.textContent = "Request failed: " + error;
    }
  });
}
`;
