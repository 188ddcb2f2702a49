/**
 * `pay.js`, the script a merchant page loads from the vault's origin. It renders the card fields
 * in an iframe of the vault's origin, so the card number is typed into, and sent from, a page the
 * merchant's code cannot read (same-origin policy): the merchant page only ever receives the
 * token object (PCI DSS SAQ A scope for the merchant).
 *
 *   const gateway = Gateway("pk_test_...");
 *   const card = gateway.mountCard("#card");
 *   const token = await card.createToken();   // { id: "tok_...", card: { last4, brand, ... } }
 */
export const PAY_JS = `(function () {
  "use strict";
  var script = document.currentScript;
  var vaultOrigin = new URL(script.src).origin;

  function mountCard(publishableKey, selector) {
    var container = typeof selector === "string" ? document.querySelector(selector) : selector;
    if (!container) throw new Error("Gateway: no element matches " + selector);
    var iframe = document.createElement("iframe");
    iframe.src = vaultOrigin + "/elements/card?key=" + encodeURIComponent(publishableKey) +
      "&origin=" + encodeURIComponent(window.location.origin);
    iframe.title = "Secure card input";
    iframe.name = "gateway-card";
    iframe.setAttribute("style", "border:0;width:100%;height:150px");
    container.appendChild(iframe);
    var loaded = new Promise(function (resolve) { iframe.addEventListener("load", resolve); });
    var pending = {};
    window.addEventListener("message", function (event) {
      if (event.origin !== vaultOrigin || event.source !== iframe.contentWindow) return;
      var message = event.data || {};
      var waiting = pending[message.id];
      if (!waiting) return;
      delete pending[message.id];
      if (message.error) waiting.reject(message.error); else waiting.resolve(message.token);
    });
    return {
      createToken: function () {
        return loaded.then(function () {
          return new Promise(function (resolve, reject) {
            var id = String(Date.now()) + Math.random().toString(36).slice(2);
            pending[id] = { resolve: resolve, reject: reject };
            iframe.contentWindow.postMessage({ type: "gateway:tokenize", id: id }, vaultOrigin);
          });
        });
      }
    };
  }

  window.Gateway = function (publishableKey) {
    if (!/^pk_(test|live)_/.test(publishableKey)) throw new Error("Gateway: pass your publishable key (pk_...)");
    return { mountCard: function (selector) { return mountCard(publishableKey, selector); } };
  };
})();
`;
