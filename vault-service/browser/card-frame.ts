/** Escapes a value for a `<script>` JSON literal (no `</script>` break-out, no U+2028 surprises). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The hosted card fields, served by the vault inside the merchant's page. Only this page sees
 * the card number; it posts it straight to the vault's `/v1/tokens` (same origin) and hands the
 * parent window nothing but the token object, and only to the origin the merchant registered.
 */
export function cardFrameHtml(options: { publishableKey: string; parentOrigin: string; nonce: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Card details</title>
<style nonce="${options.nonce}">
  body { margin: 0; font: 15px/1.4 system-ui, sans-serif; color: #1a1f36; }
  label { display: block; margin: 6px 0 2px; font-size: 13px; color: #4f566b; }
  input { box-sizing: border-box; width: 100%; padding: 8px 10px; border: 1px solid #cfd7df; border-radius: 6px; font: inherit; }
  .row { display: flex; gap: 8px; } .row > div { flex: 1; }
  #error { color: #cd3d64; font-size: 13px; min-height: 18px; margin-top: 4px; }
</style>
</head>
<body>
<form id="card" autocomplete="on" novalidate>
  <label for="number">Card number</label>
  <input id="number" name="cardnumber" autocomplete="cc-number" inputmode="numeric" placeholder="4242 4242 4242 4242">
  <div class="row">
    <div><label for="exp">Expiry (MM/YY)</label><input id="exp" name="exp-date" autocomplete="cc-exp" inputmode="numeric" placeholder="12/34"></div>
    <div><label for="cvc">CVC</label><input id="cvc" name="cvc" autocomplete="cc-csc" inputmode="numeric" placeholder="123"></div>
  </div>
  <div id="error" role="alert"></div>
</form>
<script nonce="${options.nonce}">
(function () {
  "use strict";
  var parentOrigin = ${scriptJson(options.parentOrigin)};
  var key = ${scriptJson(options.publishableKey)};
  var field = function (id) { return document.getElementById(id); };
  window.addEventListener("message", function (event) {
    if (event.origin !== parentOrigin || event.source !== window.parent) return;
    var request = event.data || {};
    if (request.type !== "gateway:tokenize") return;
    var exp = field("exp").value.split("/");
    var body = { card: {
      number: field("number").value.replace(/[\\s-]/g, ""),
      exp_month: Number(exp[0]),
      exp_year: exp[1] && exp[1].trim().length === 2 ? 2000 + Number(exp[1]) : Number(exp[1]),
      cvc: field("cvc").value.trim()
    } };
    fetch("/v1/tokens", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + key },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    }).then(function (result) {
      field("error").textContent = result.ok ? "" : (result.json.error && result.json.error.message) || "Card refused";
      window.parent.postMessage(result.ok ? { id: request.id, token: result.json } : { id: request.id, error: result.json.error }, parentOrigin);
    }).catch(function () {
      window.parent.postMessage({ id: request.id, error: { type: "api_error", message: "The card could not be sent." } }, parentOrigin);
    });
  });
})();
</script>
</body>
</html>`;
}
