/**
 * The hosted page's one script, run under the page's CSP nonce. The card fields are the vault's
 * frame (`pay.js`): this page never sees the card number, only the token the frame returns, which
 * it posts, with the page's secret, to its own origin's pay endpoint. PayPal posts the same way
 * with no token and follows the answer to the wallet's approval page; UPI posts the payer's VPA and
 * then asks the page's status every two seconds until the payer has approved (or declined) in
 * their app. A decline is shown and the customer may try again; success goes to the merchant's
 * success URL.
 */
export const CHECKOUT_PAGE_SCRIPT = `(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("checkout-config").textContent);
  var form = document.getElementById("pay-form");
  var button = document.getElementById("pay");
  var paypal = document.getElementById("pay-paypal");
  var upiForm = document.getElementById("upi-form");
  var upiButton = document.getElementById("pay-upi");
  var vpa = document.getElementById("vpa");
  var status = document.getElementById("status");
  var card = form ? Gateway(config.publishableKey).mountCard("#card") : null;
  function show(message, isError) {
    status.textContent = message;
    status.className = isError ? "status error" : "status";
  }
  function busy(value) {
    if (button) button.disabled = value;
    if (paypal) paypal.disabled = value;
    if (upiButton) upiButton.disabled = value;
  }
  function poll() {
    setTimeout(function () {
      fetch(config.statusUrl, { credentials: "same-origin" }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        if (answer.redirect_url) { window.location.assign(answer.redirect_url); return; }
        if (answer.status === "expired") { show("The time to pay has run out and nothing was charged.", true); return; }
        if (answer.waiting) { poll(); return; }
        show((answer.error && answer.error.message) || "The payment did not go through.", true);
        busy(false);
      }).catch(poll);
    }, 2000);
  }
  function waitForApp() {
    busy(true);
    show(config.upiWaitingText, false);
    poll();
  }
  function send(body) {
    body.page_secret = config.pageSecret;
    return fetch(config.payUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (answer) { return { status: response.status, answer: answer }; });
    });
  }
  function settle(result) {
    var answer = result.answer || {};
    // Paid: the merchant's success URL; PayPal: the wallet's approval page. Both come from the server.
    if (answer.redirect_url) { window.location.assign(answer.redirect_url); return; }
    if (answer.status === "requires_action") { waitForApp(); return; }
    if (result.status === 202) {
      show("Your payment is being confirmed. This page will refresh; do not pay again.", false);
      setTimeout(function () { window.location.reload(); }, 5000);
      return;
    }
    var message = (answer.error && answer.error.message) || "The payment did not go through.";
    show(message, true);
    if (result.status !== 410) busy(false);
  }
  function lost() {
    show("The payment could not be sent. Check your connection and try again.", true);
    busy(false);
  }
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      busy(true);
      show("Processing your payment…", false);
      card.createToken().then(function (token) {
        return send({ method: "card", token: token.id });
      }, function (error) {
        return { status: 0, answer: { error: error || { message: "Check your card details." } } };
      }).then(settle).catch(lost);
    });
  }
  if (upiForm) {
    upiForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var id = vpa.value.trim();
      if (!id) { show("Enter your UPI ID, such as name@bank.", true); vpa.focus(); return; }
      busy(true);
      show("Sending the request to your UPI app…", false);
      send({ method: "upi", vpa: id }).then(settle).catch(lost);
    });
  }
  // Loaded while a payment waits (a UPI request, one being confirmed): the page says so already, and asks on.
  if (config.waiting) { busy(true); poll(); }
  if (paypal) {
    paypal.addEventListener("click", function () {
      busy(true);
      show("Taking you to PayPal…", false);
      send({ method: "paypal" }).then(settle).catch(lost);
    });
  }
})();`;
