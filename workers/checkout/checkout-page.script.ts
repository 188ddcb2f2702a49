/**
 * The hosted page's one script, run under the page's CSP nonce. The card fields are the vault's
 * frame (`pay.js`): this page never sees the card number, only the token the frame returns, which
 * it posts, with the page's secret, to its own origin's pay endpoint. A decline is shown and the
 * customer may try again; success goes to the merchant's success URL.
 */
export const CHECKOUT_PAGE_SCRIPT = `(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("checkout-config").textContent);
  var form = document.getElementById("pay-form");
  var button = document.getElementById("pay");
  var status = document.getElementById("status");
  var card = Gateway(config.publishableKey).mountCard("#card");
  function show(message, isError) {
    status.textContent = message;
    status.className = isError ? "status error" : "status";
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    show("Processing your payment…", false);
    card.createToken().then(function (token) {
      return fetch(config.payUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ token: token.id, page_secret: config.pageSecret })
      }).then(function (response) {
        return response.json().then(function (answer) { return { status: response.status, answer: answer }; });
      });
    }, function (error) {
      return { status: 0, answer: { error: error || { message: "Check your card details." } } };
    }).then(function (result) {
      var answer = result.answer || {};
      if (answer.redirect_url) { window.location.assign(answer.redirect_url); return; }
      if (result.status === 202) {
        show("Your payment is being confirmed. This page will refresh; do not pay again.", false);
        setTimeout(function () { window.location.reload(); }, 5000);
        return;
      }
      var message = (answer.error && answer.error.message) || "The payment did not go through.";
      show(message, true);
      if (result.status !== 410) button.disabled = false;
    }).catch(function () {
      show("The payment could not be sent. Check your connection and try again.", true);
      button.disabled = false;
    });
  });
})();`;
